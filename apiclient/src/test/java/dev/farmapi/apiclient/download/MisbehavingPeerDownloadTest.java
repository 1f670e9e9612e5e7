package dev.farmapi.apiclient.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.ChecksumMismatchError;
import dev.farmapi.apiclient.DownloadChunk;
import dev.farmapi.apiclient.DownloadResult;
import dev.farmapi.apiclient.MediaDownload;
import dev.farmapi.apiclient.ResumableDownloadError;
import dev.farmapi.apiclient.RetryPolicy;
import dev.farmapi.apiclient.internal.Checksums;
import dev.farmapi.apiclient.testing.LiveServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Peers that misbehave in ways the Farm server never does, and what the download makes of it. */
class MisbehavingPeerDownloadTest {
  static final byte[] BYTES = LiveServer.randomBytes(100_000, 12);
  static final int MIB = 1 << 20;

  @TempDir Path dir;
  MockWebServer server = new MockWebServer();
  RangeDispatcher peer = new RangeDispatcher(BYTES, "\"v1\"");
  ApiClient client = ApiClient.builder()
      .retryPolicy(RetryPolicy.defaults().withDelays(Duration.ofMillis(1), Duration.ofMillis(10)))
      .idleTimeout(Duration.ofSeconds(5))
      .build();
  Path file;
  URI uri;

  @BeforeEach
  void start() throws IOException {
    server.setDispatcher(peer);
    server.start();
    uri = server.url("/media").uri();
    file = dir.resolve("media.bin");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void bodyCutMidwayResumesFromTheLastByteWrittenWithIfRange() throws Exception {
    peer.then(b -> b.onResponseBody(new SocketEffect.CloseSocket()));

    MediaDownload.to(file, client, uri).withChunkSize(-1).execute();

    assertThat(Files.readAllBytes(file)).isEqualTo(BYTES);
    assertThat(peer.range(0)).isEqualTo("bytes=0-");
    assertThat(peer.ifRange(0)).isNull();
    long resumedAt = Long.parseLong(peer.range(1).replaceAll("bytes=(\\d+)-", "$1"));
    assertThat(resumedAt).isBetween(1L, BYTES.length - 1L);
    assertThat(peer.ifRange(1)).isEqualTo("\"v1\"");
    assertThat(peer.requests).hasSize(2);
  }

  @Test
  void wrongXGoogHashIsAChecksumMismatchAndNoFile() throws Exception {
    peer.then(b -> b.setHeader("X-Goog-Hash", "crc32c=AAAAAA==,md5=1B2M2Y8AsgTpgAmY7PhCfg=="));

    assertThatThrownBy(() -> MediaDownload.to(file, client, uri).withChunkSize(-1).execute())
        .isInstanceOfSatisfying(ChecksumMismatchError.class, e -> {
          assertThat(e.algorithm()).isEqualTo("crc32c");
          assertThat(e.expected()).isEqualTo("AAAAAA==");
        });
    assertThat(Files.exists(file)).isFalse();
    assertThat(Files.exists(dir.resolve("media.bin.part"))).isFalse();
    assertThat(peer.requests).hasSize(1); // a mismatch is not retried
  }

  @Test
  void wrongMd5InXGoogHashIsAChecksumMismatchWhenTheClientVerifiesMd5() throws Exception {
    Checksums sums = new Checksums();
    sums.update(BYTES, 0, BYTES.length);
    peer.then(b -> b.setHeader("X-Goog-Hash",
        "crc32c=" + sums.crc32c() + ",md5=1B2M2Y8AsgTpgAmY7PhCfg=="));
    ApiClient md5Client = ApiClient.builder().verifyMd5(true).build();

    assertThatThrownBy(() -> MediaDownload.to(file, md5Client, uri).withChunkSize(-1).execute())
        .isInstanceOfSatisfying(ChecksumMismatchError.class, e -> {
          assertThat(e.algorithm()).isEqualTo("md5");
          assertThat(e.expected()).isEqualTo("1B2M2Y8AsgTpgAmY7PhCfg==");
          assertThat(e.actual()).isEqualTo(sums.md5());
        });
    assertThat(Files.exists(file)).isFalse();
    assertThat(Files.exists(dir.resolve("media.bin.part"))).isFalse();
  }

  @Test
  void wrongMd5InXGoogHashWithTheRightCrc32cPassesWhenMd5IsNotVerified() throws Exception {
    Checksums sums = new Checksums();
    sums.update(BYTES, 0, BYTES.length);
    peer.then(b -> b.setHeader("X-Goog-Hash",
        "crc32c=" + sums.crc32c() + ",md5=1B2M2Y8AsgTpgAmY7PhCfg=="));

    DownloadResult result = MediaDownload.to(file, client, uri).withChunkSize(-1).execute();

    assertThat(Files.readAllBytes(file)).isEqualTo(BYTES);
    assertThat(result.verifiedBy()).containsExactly("crc32c");
    assertThat(result.md5()).as("not computed").isNull();
  }

  @Test
  void flippedByteInTheBodyIsCaughtAndNothingIsMovedIntoPlace() throws Exception {
    byte[] media = LiveServer.randomBytes(3 * MIB + 7, 14); // many reads of the engine's buffer
    peer.media = media; // the X-Goog-Hash of the true bytes
    peer.then(b -> b.body(new Buffer().write(flipped(media, 0, media.length, 2 * MIB + 3))));

    assertThatThrownBy(() -> MediaDownload.to(file, client, uri).withChunkSize(-1).execute())
        .isInstanceOfSatisfying(ChecksumMismatchError.class,
            e -> assertThat(e.algorithm()).isEqualTo("crc32c"));
    assertThat(Files.exists(file)).isFalse();
    assertThat(Files.exists(dir.resolve("media.bin.part"))).isFalse();
    assertThat(Files.exists(dir.resolve("media.bin.part.json"))).isFalse();
    assertThat(peer.requests).hasSize(1);
  }

  @Test
  void flippedByteInALaterRangeLeavesTheOldFileAsItWas() throws Exception {
    byte[] media = LiveServer.randomBytes(3 * MIB + 7, 15);
    peer.media = media;
    byte[] old = "the picture downloaded last week".getBytes(StandardCharsets.UTF_8);
    Files.write(file, old);
    peer.then(b -> b) // the first MiB as it is, then a bit flipped in the second
        .then(b -> b.body(new Buffer().write(flipped(media, MIB, 2 * MIB, MIB + 12345))));

    assertThatThrownBy(() -> MediaDownload.to(file, client, uri).withChunkSize(MIB).execute())
        .isInstanceOf(ChecksumMismatchError.class);
    assertThat(LiveServer.sha256(Files.readAllBytes(file))).isEqualTo(LiveServer.sha256(old));
    assertThat(Files.exists(dir.resolve("media.bin.part"))).isFalse();
    assertThat(peer.requests).hasSize(4); // the mismatch shows once the media is complete
  }

  @Test
  void flippedByteInAChunkedBodyFailsAStreamDownload() throws Exception {
    byte[] media = LiveServer.randomBytes(MIB + 3, 16);
    peer.media = media;
    peer.then(b -> b.chunkedBody(new Buffer().write(flipped(media, 0, media.length, 77_777)),
        100_003));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    assertThatThrownBy(() -> MediaDownload.to(out, client, uri).withChunkSize(-1).execute())
        .isInstanceOf(ChecksumMismatchError.class);
    assertThat(out.size()).as("a stream has the bytes; the error says not to trust them")
        .isEqualTo(media.length);
  }

  @Test
  void largeChunkedBodyArrivesWhole() throws Exception {
    byte[] media = LiveServer.randomBytes(3 * MIB + 5, 17);
    peer.media = media;
    peer.then(b -> b.chunkedBody(new Buffer().write(media), 65_537));

    DownloadResult result = MediaDownload.to(file, client, uri).withChunkSize(-1).execute();

    assertThat(LiveServer.sha256(Files.readAllBytes(file))).isEqualTo(LiveServer.sha256(media));
    assertThat(result.verifiedBy()).containsExactly("crc32c");
  }

  /** {@code media[from, to)} with one bit flipped at {@code at}. */
  private static byte[] flipped(byte[] media, int from, int to, int at) {
    byte[] copy = java.util.Arrays.copyOfRange(media, from, to);
    copy[at - from] ^= 0x20;
    return copy;
  }

  @Test
  void serverThatVouchesWithMd5OnlyHasItsMd5CheckedEvenInAResumedFile() throws Exception {
    Checksums sums = new Checksums();
    sums.update(BYTES, 0, BYTES.length);
    String md5Only = "md5=" + sums.md5(); // no crc32c: CRC32C alone would check nothing
    peer.then(b -> b.setHeader("X-Goog-Hash", md5Only)).then(b -> b.setHeader("X-Goog-Hash",
        md5Only));
    MediaDownload.to(file, client, uri).withChunkSize(70_000).nextChunk(); // a process that died
    assertThat(Files.exists(dir.resolve("media.bin.part.json"))).isTrue();

    DownloadResult result = MediaDownload.to(file, client, uri).withChunkSize(70_000).execute();

    assertThat(peer.range(1)).isEqualTo("bytes=70000-139999"); // resumed, the prefix read back
    assertThat(result.verifiedBy()).containsExactly("md5");
    assertThat(result.md5()).isEqualTo(sums.md5());
    assertThat(LiveServer.sha256(Files.readAllBytes(file))).isEqualTo(LiveServer.sha256(BYTES));
  }

  @Test
  void wrongMd5FromAServerThatSendsNoCrc32cIsCaughtAndNothingMovedIntoPlace() throws Exception {
    peer.then(b -> b.setHeader("X-Goog-Hash", "md5=1B2M2Y8AsgTpgAmY7PhCfg=="));

    assertThatThrownBy(() -> MediaDownload.to(file, client, uri).withChunkSize(-1).execute())
        .isInstanceOfSatisfying(ChecksumMismatchError.class,
            e -> assertThat(e.algorithm()).isEqualTo("md5"));
    assertThat(Files.exists(file)).isFalse();
    assertThat(Files.exists(dir.resolve("media.bin.part"))).isFalse();
  }

  @Test
  void contentRangeOtherThanTheOneAskedForFailsWithoutRetries() throws Exception {
    peer.then(b -> b.setHeader("Content-Range", "bytes 5-99999/100000")
        .body(new Buffer().write(BYTES, 5, BYTES.length - 5)));

    assertThatThrownBy(() -> MediaDownload.to(file, client, uri).withChunkSize(-1).execute())
        .isInstanceOf(ResumableDownloadError.class).hasMessageContaining("asked for bytes from 0");
    assertThat(peer.requests).hasSize(1);
    assertThat(Files.exists(file)).isFalse();
  }

  @Test
  void partialContentWithoutContentRangeFails() throws Exception {
    peer.then(b -> b.removeHeader("Content-Range"));

    assertThatThrownBy(() -> MediaDownload.to(file, client, uri).execute())
        .isInstanceOf(ResumableDownloadError.class).hasMessageContaining("Content-Range");
  }

  @Test
  void contentRangeLongerThanTheBodyFails() throws Exception {
    peer.then(b -> b.setHeader("Content-Range", "bytes 0-199/100000")); // with 100 bytes

    assertThatThrownBy(() -> MediaDownload.to(file, client, uri).withChunkSize(100).execute())
        .isInstanceOf(ResumableDownloadError.class).hasMessageContaining("Content-Length");
  }

  @Test
  void serverIgnoringIfRangeForChangedMediaRestartsTheFileFromZero() throws Exception {
    byte[] newer = LiveServer.randomBytes(70_000, 13);
    MediaDownload download = MediaDownload.to(file, client, uri).withChunkSize(30_000);
    download.nextChunk();
    peer.media = newer;
    peer.etag = "\"v2\"";
    peer.ignoreIfRange = true; // answers 206 from the new version to a range of the old

    DownloadResult result = download.execute();

    assertThat(Files.readAllBytes(file)).isEqualTo(newer);
    assertThat(result.etag()).isEqualTo("\"v2\"");
    assertThat(peer.range(1)).isEqualTo("bytes=30000-59999");
    assertThat(peer.range(2)).isEqualTo("bytes=0-59999"); // the rest of the chunk, from 0
    assertThat(peer.ifRange(2)).isNull();
  }

  @Test
  void serverThatIgnoresRangesDeliversEverythingInTheFirstChunk() throws Exception {
    peer.ignoreRange = true;

    DownloadChunk chunk = MediaDownload.to(file, client, uri).withChunkSize(1000).nextChunk();

    assertThat(chunk.isDone()).isTrue();
    assertThat(chunk.progress().totalSize()).hasValue(BYTES.length);
    assertThat(Files.readAllBytes(file)).isEqualTo(BYTES);
  }

  @Test
  void mediaWithoutChecksumsCompletesUnverified() throws Exception {
    peer.sendHashes = false;

    DownloadResult result = MediaDownload.to(file, client, uri).withChunkSize(40_000).execute();

    assertThat(result.verified()).isFalse();
    assertThat(result.verifiedBy()).isEmpty();
    assertThat(Files.readAllBytes(file)).isEqualTo(BYTES);
  }

  @Test
  void unsatisfiableRangeOnEmptyMediaIsAnEmptyDownload() throws Exception {
    peer.media = new byte[0];
    peer.then(b -> b.code(416).setHeader("Content-Range", "bytes */0").body(new Buffer()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    DownloadResult result = MediaDownload.to(out, client, uri).execute();

    assertThat(result.size()).isZero();
    assertThat(result.verified()).isTrue();
  }

  @Test
  void weakEtagIsNeverSentAsIfRangeNorSavedForALaterProcess() throws Exception {
    peer.etag = "W/\"v1\"";
    peer.then(b -> b.onResponseBody(new SocketEffect.CloseSocket()));
    MediaDownload first = MediaDownload.to(file, client, uri).withChunkSize(-1);

    assertThatThrownBy(() -> first.nextChunk(0)).isInstanceOf(IOException.class);
    assertThat(Files.exists(dir.resolve("media.bin.part.json"))).isFalse();
    MediaDownload.to(file, client, uri).withChunkSize(-1).execute();

    assertThat(peer.range(1)).isEqualTo("bytes=0-"); // started over: nothing vouched for the bytes
    assertThat(peer.ifRange(1)).isNull();
    assertThat(Files.readAllBytes(file)).isEqualTo(BYTES);
  }

  @Test
  void rateLimitIsRetried() throws Exception {
    peer.then(b -> b.code(429).removeHeader("Content-Range").body("{}"));

    MediaDownload.to(file, client, uri).execute();

    assertThat(peer.requests).hasSize(2);
    assertThat(Files.readAllBytes(file)).isEqualTo(BYTES);
  }

  @Test
  void failingDestinationStreamIsNotRetriedAndEndsTheDownload() throws Exception {
    IOException diskFull = new IOException("No space left on device");
    OutputStream broken = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw diskFull;
      }
    };
    MediaDownload download = MediaDownload.to(broken, client, uri);

    assertThatThrownBy(download::execute).isSameAs(diskFull);
    assertThat(peer.requests).hasSize(1);
    assertThatThrownBy(download::nextChunk).isInstanceOf(IllegalStateException.class);
  }
}
