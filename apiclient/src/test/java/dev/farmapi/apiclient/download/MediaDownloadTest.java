package dev.farmapi.apiclient.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farmapi.apiclient.ChecksumMismatchError;
import dev.farmapi.apiclient.DownloadChunk;
import dev.farmapi.apiclient.DownloadResult;
import dev.farmapi.apiclient.HttpError;
import dev.farmapi.apiclient.MediaDownload;
import dev.farmapi.apiclient.MediaDownloadProgress;
import dev.farmapi.apiclient.testing.LiveServer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from the real Farm server, without faults. */
class MediaDownloadTest {
  static final int KIB = 1024;

  @TempDir Path dir;
  LiveServer server;

  @BeforeEach
  void start() throws Exception {
    server = LiveServer.start(dir.resolve("server"));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void nextChunkLoopDownloadsOddSizedMediaToFileInRangesWithProgress() throws Exception {
    byte[] bytes = LiveServer.randomBytes(3 * 256 * KIB + 12345, 1);
    String id = FarmMedia.upload(server, bytes);
    Path file = dir.resolve("pig.png");
    List<MediaDownloadProgress> events = new ArrayList<>();
    MediaDownload download = MediaDownload.to(file, server.client(), FarmMedia.mediaUri(server, id))
        .withChunkSize(256 * KIB)
        .withProgressListener(events::add);

    List<Integer> percents = new ArrayList<>();
    DownloadChunk chunk;
    do {
      chunk = download.nextChunk();
      percents.add((int) (chunk.progress().progress() * 100));
    } while (!chunk.isDone());

    assertThat(percents).containsExactly(32, 65, 98, 100);
    assertThat(LiveServer.sha256(Files.readAllBytes(file))).isEqualTo(LiveServer.sha256(bytes));
    assertThat(events.size()).isGreaterThanOrEqualTo(4);
    assertThat(events).extracting(MediaDownloadProgress::bytesDownloaded).isSorted()
        .last().isEqualTo((long) bytes.length);
    assertThat(events.get(events.size() - 1).progress()).isEqualTo(1.0);
    DownloadResult result = chunk.result().orElseThrow();
    assertThat(result.size()).isEqualTo(bytes.length);
    assertThat(result.verified()).isTrue();
    assertThat(result.verifiedBy()).as("MD5 is opt-in").containsExactly("crc32c");
    assertThat(result.md5()).isNull();
    dev.farmapi.apiclient.internal.Checksums sums = new dev.farmapi.apiclient.internal.Checksums();
    sums.update(bytes, 0, bytes.length);
    assertThat(result.crc32c()).isEqualTo(sums.crc32c());
    assertThat(result.etag()).isEqualTo("\"" + sums.md5() + "\"");
    assertThat(Files.exists(download.partialFile().orElseThrow())).isFalse();
    assertThat(Files.exists(dir.resolve("pig.png.part.json"))).isFalse();
    assertThat(download.nextChunk().isDone()).isTrue(); // done stays done
  }

  @Test
  void oneShotDownloadToStreamTakesOneRequest() throws Exception {
    byte[] bytes = LiveServer.randomBytes(1_000_003, 2);
    String id = FarmMedia.upload(server, bytes);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<MediaDownloadProgress> events = new ArrayList<>();
    MediaDownload download = MediaDownload.to(out, server.client(), FarmMedia.mediaUri(server, id))
        .withChunkSize(-1)
        .withProgressListener(events::add);

    DownloadChunk chunk = download.nextChunk();

    assertThat(chunk.isDone()).isTrue();
    assertThat(chunk.progress().bytesDownloaded()).isEqualTo(bytes.length);
    assertThat(LiveServer.sha256(out.toByteArray())).isEqualTo(LiveServer.sha256(bytes));
    assertThat(chunk.result().orElseThrow().verified()).isTrue();
    long previous = 0; // progress within the request: one buffer (at most 256 KiB) at a time
    for (MediaDownloadProgress p : events) {
      assertThat(p.bytesDownloaded() - previous).isBetween(1L, 256L * KIB);
      previous = p.bytesDownloaded();
    }
    assertThat(previous).isEqualTo(bytes.length);
  }

  @Test
  void defaultChunksDownloadEverythingWithExecute() throws Exception {
    byte[] bytes = LiveServer.randomBytes((8 << 20) + 1, 3);
    String id = FarmMedia.upload(server, bytes);
    Path file = dir.resolve("big.bin");
    long sentBefore = FarmMedia.sentBytes(server);

    DownloadResult result =
        MediaDownload.to(file, server.client(), FarmMedia.mediaUri(server, id)).execute();

    assertThat(result.size()).isEqualTo(bytes.length);
    assertThat(LiveServer.sha256(Files.readAllBytes(file))).isEqualTo(LiveServer.sha256(bytes));
    assertThat(FarmMedia.sentBytes(server) - sentBefore).isEqualTo(bytes.length);
  }

  @Test
  void zeroByteMediaDownloadsToAnEmptyVerifiedFile() throws Exception {
    String id = FarmMedia.upload(server, new byte[0]);
    Path file = dir.resolve("empty.png");
    Files.write(file, new byte[] {1, 2, 3}); // an older version, to be replaced

    DownloadResult result = MediaDownload.to(file, server.client(), FarmMedia.mediaUri(server, id))
        .withChunkSize(256 * KIB).execute();

    assertThat(Files.size(file)).isZero();
    assertThat(result.size()).isZero();
    assertThat(result.verified()).isTrue();
  }

  @Test
  void zeroByteMediaDownloadsToAStream() throws Exception {
    String id = FarmMedia.upload(server, new byte[0]);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    DownloadChunk chunk = MediaDownload.to(out, server.client(), FarmMedia.mediaUri(server, id))
        .nextChunk();

    assertThat(chunk.isDone()).isTrue();
    assertThat(chunk.progress().progress()).isEqualTo(1.0);
    assertThat(out.size()).isZero();
  }

  @Test
  void wrongExpectedChecksumFailsAndLeavesNoFile() throws Exception {
    byte[] bytes = LiveServer.randomBytes(300 * KIB, 4);
    String id = FarmMedia.upload(server, bytes);
    Path file = dir.resolve("cow.png");
    MediaDownload download = MediaDownload.to(file, server.client(), FarmMedia.mediaUri(server, id))
        .withChunkSize(128 * KIB)
        .withExpectedMd5("1B2M2Y8AsgTpgAmY7PhCfg=="); // the MD5 of nothing

    assertThatThrownBy(download::execute).isInstanceOfSatisfying(ChecksumMismatchError.class,
        e -> assertThat(e.algorithm()).isEqualTo("md5"));
    assertThat(Files.exists(file)).isFalse();
    assertThat(Files.exists(download.partialFile().orElseThrow())).isFalse();
    assertThat(Files.exists(dir.resolve("cow.png.part.json"))).isFalse();
    assertThatThrownBy(download::nextChunk).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rightExpectedChecksumsAreVerifiedWithTheServers() throws Exception {
    byte[] bytes = LiveServer.randomBytes(1000, 5);
    String id = FarmMedia.upload(server, bytes);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    dev.farmapi.apiclient.internal.Checksums sums = new dev.farmapi.apiclient.internal.Checksums();
    sums.update(bytes, 0, bytes.length);

    DownloadResult result = MediaDownload.to(out, server.client(), FarmMedia.mediaUri(server, id))
        .withExpectedMd5(sums.md5()).withExpectedCrc32c(sums.crc32c()).execute();

    assertThat(LiveServer.sha256(out.toByteArray())).isEqualTo(LiveServer.sha256(bytes));
    assertThat(result.md5()).isEqualTo(sums.md5());
    assertThat(result.crc32c()).isEqualTo(sums.crc32c());
    assertThat(result.verifiedBy()).containsExactlyInAnyOrder("md5", "crc32c");
  }

  @Test
  void missingMediaIsAnHttpErrorWithoutRetries() throws Exception {
    long notFoundBefore = FarmMedia.errors(server, 404);
    Path file = dir.resolve("ghost.png");
    MediaDownload download = MediaDownload.to(file, server.client(),
        FarmMedia.mediaUri(server, "no-such-animal"));

    assertThatThrownBy(download::execute).isInstanceOfSatisfying(HttpError.class,
        e -> assertThat(e.statusCode()).isEqualTo(404));
    assertThat(FarmMedia.errors(server, 404) - notFoundBefore).isEqualTo(1);
    assertThat(Files.exists(file)).isFalse();
  }

  @Test
  void configurationIsFixedOnceTheDownloadStarted() throws Exception {
    String id = FarmMedia.upload(server, LiveServer.randomBytes(10, 6));
    MediaDownload download = MediaDownload.to(new ByteArrayOutputStream(), server.client(),
        FarmMedia.mediaUri(server, id));
    download.nextChunk();

    assertThatThrownBy(() -> download.withChunkSize(1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> MediaDownload.to(new ByteArrayOutputStream(), server.client(),
        FarmMedia.mediaUri(server, id)).withHeader("Range", "bytes=0-"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MediaDownload.to(new ByteArrayOutputStream(), server.client(),
        FarmMedia.mediaUri(server, id)).withChunkSize(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
