package dev.farmapi.apiclient.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farmapi.apiclient.DownloadChunk;
import dev.farmapi.apiclient.DownloadResult;
import dev.farmapi.apiclient.MediaDownload;
import dev.farmapi.apiclient.MediaDownloadProgress;
import dev.farmapi.apiclient.ResumableDownloadError;
import dev.farmapi.apiclient.testing.ChildJvm;
import dev.farmapi.apiclient.testing.CrashableDownload;
import dev.farmapi.apiclient.testing.LiveServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resume across processes through the partial file, and media that changes underneath. */
class DownloadResumeTest {
  static final int KIB = 1024;
  static final byte[] BYTES = LiveServer.randomBytes(4 * 256 * KIB + 777, 8);

  @TempDir Path dir;
  LiveServer server;
  String id;
  Path file;

  @BeforeEach
  void start() throws Exception {
    server = LiveServer.start(dir.resolve("server"));
    id = FarmMedia.upload(server, BYTES);
    file = dir.resolve("pig.png");
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  MediaDownload download() {
    return MediaDownload.to(file, server.client(), FarmMedia.mediaUri(server, id))
        .withChunkSize(256 * KIB);
  }

  /** A download that dies (no retries) when the server breaks its stream: the process "dies". */
  long interruptedDownload() throws Exception {
    String test = server.retryTest("farm.animals.get", "return-broken-stream-after-192K");
    MediaDownload first = download().withHeader("x-retry-test-id", test);
    assertThatThrownBy(() -> first.nextChunk(0)).isInstanceOf(IOException.class);
    long partial = Files.size(first.partialFile().orElseThrow());
    assertThat(partial).isBetween(64L * KIB, 192L * KIB); // worth resuming: it has its sidecar
    assertThat(Files.exists(dir.resolve("pig.png.part.json"))).isTrue();
    assertThat(Files.exists(file)).isFalse();
    return partial;
  }

  @Test
  void newDownloadContinuesFromThePartialFileWithoutRefetchingItsBytes() throws Exception {
    long partial = interruptedDownload();
    long sentBefore = FarmMedia.sentBytes(server);
    List<MediaDownloadProgress> events = new ArrayList<>();
    MediaDownload again = download().withProgressListener(events::add);
    assertThat(again.resumableBytes()).isEqualTo(partial);

    DownloadResult result = again.execute();

    assertThat(FarmMedia.sentBytes(server) - sentBefore).isEqualTo(BYTES.length - partial);
    assertThat(Files.readAllBytes(file)).isEqualTo(BYTES);
    assertThat(result.verified()).isTrue(); // the rehashed prefix plus the new bytes
    assertThat(events.get(0).bytesDownloaded()).isLessThanOrEqualTo(partial); // the read-back
    assertThat(events).extracting(MediaDownloadProgress::bytesDownloaded).isSorted();
    assertThat(Files.exists(dir.resolve("pig.png.part"))).isFalse();
    assertThat(Files.exists(dir.resolve("pig.png.part.json"))).isFalse();
  }

  @Test
  void downloadKilledMidwayIsFinishedByAnotherProcessFromItsPartialFile() throws Exception {
    byte[] bytes = LiveServer.randomBytes(4 * 1024 * KIB + 999, 18);
    String big = FarmMedia.upload(server, bytes);
    URI uri = FarmMedia.mediaUri(server, big);
    // 2 MiB/s: two seconds of download, killed (SIGKILL) once a MiB is in the partial file.
    Process child = ChildJvm.start(CrashableDownload.class, List.of(), dir.resolve("child.err"),
        uri.toString(), server.key(), file.toString(), Long.toString(2 * 1024 * KIB));
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      long at = 0;
      for (String line = out.readLine(); line != null && at < 1024 * KIB;
          line = out.readLine()) {
        assertThat(line).as("the child finished before it was killed").isNotEqualTo("done");
        if (line.startsWith("at ")) { // logging may print too
          at = Long.parseLong(line.substring(3));
        }
      }
      assertThat(at).as("the child's output: " + Files.readString(dir.resolve("child.err")))
          .isGreaterThanOrEqualTo(1024 * KIB);
    } finally {
      child.destroyForcibly().waitFor();
    }
    Path part = dir.resolve("pig.png.part");
    long partial = Files.size(part);
    assertThat(partial).isBetween(1024L * KIB, bytes.length - 1L);
    assertThat(Files.exists(file)).isFalse();
    MediaDownload again = MediaDownload.to(file, server.client(), uri);
    assertThat(again.resumableBytes()).isEqualTo(partial);
    long sentBefore = FarmMedia.sentBytes(server);

    DownloadResult result = again.execute();

    assertThat(LiveServer.sha256(Files.readAllBytes(file))).isEqualTo(LiveServer.sha256(bytes));
    assertThat(FarmMedia.sentBytes(server) - sentBefore).isEqualTo(bytes.length - partial);
    assertThat(result.verified()).isTrue();
    assertThat(Files.exists(part)).isFalse();
    assertThat(Files.exists(dir.resolve("pig.png.part.json"))).isFalse();
  }

  @Test
  void partialFileTooSmallToResumeIsNotRecordedAndStartsOver() throws Exception {
    String test = server.retryTest("farm.animals.get", "return-broken-stream-after-32K");
    MediaDownload first = download().withHeader("x-retry-test-id", test);
    assertThatThrownBy(() -> first.nextChunk(0)).isInstanceOf(IOException.class);
    assertThat(Files.size(dir.resolve("pig.png.part"))).isBetween(1L, 32L * KIB);
    assertThat(Files.exists(dir.resolve("pig.png.part.json"))).as("no sidecar under 64 KiB")
        .isFalse();
    MediaDownload again = download();
    assertThat(again.resumableBytes()).isZero();
    long sentBefore = FarmMedia.sentBytes(server);

    again.execute();

    assertThat(FarmMedia.sentBytes(server) - sentBefore).isEqualTo(BYTES.length);
    assertThat(LiveServer.sha256(Files.readAllBytes(file))).isEqualTo(LiveServer.sha256(BYTES));
  }

  @Test
  void completePartialFileIsFinishedWithoutDownloadingAByte() throws Exception {
    interruptedDownload();
    String sidecar = Files.readString(dir.resolve("pig.png.part.json"));
    Files.write(dir.resolve("pig.png.part"), BYTES); // as if it died just before the rename
    long sentBefore = FarmMedia.sentBytes(server);

    DownloadResult result = download().execute();

    assertThat(sidecar).contains("\"etag\":\"\\\"").contains("\"totalSize\":" + BYTES.length);
    assertThat(FarmMedia.sentBytes(server) - sentBefore).isZero(); // answered 416
    assertThat(Files.readAllBytes(file)).isEqualTo(BYTES);
    assertThat(result.verified()).isTrue();
  }

  @Test
  void corruptPartialFileIsCaughtByTheChecksumAndNotMovedIntoPlace() throws Exception {
    long partial = interruptedDownload();
    Path part = dir.resolve("pig.png.part");
    byte[] corrupt = Files.readAllBytes(part);
    corrupt[100] ^= 1; // a bit flipped on disk while the process was dead
    Files.write(part, corrupt);

    assertThatThrownBy(() -> download().execute())
        .isInstanceOf(dev.farmapi.apiclient.ChecksumMismatchError.class);
    assertThat(Files.exists(file)).isFalse();
    assertThat(Files.exists(part)).isFalse();
    assertThat(partial).isPositive();
  }

  @Test
  void mediaReplacedWhileTheProcessWasDeadStartsOverFromZero() throws Exception {
    interruptedDownload();
    byte[] newer = LiveServer.randomBytes(300 * KIB + 1, 9);
    FarmMedia.replace(server, id, newer);

    DownloadResult result = download().execute();

    assertThat(Files.readAllBytes(file)).isEqualTo(newer);
    assertThat(result.size()).isEqualTo(newer.length);
    assertThat(result.verified()).isTrue();
  }

  @Test
  void partialFileOfAnotherUriStartsOver() throws Exception {
    interruptedDownload();
    Path sidecar = dir.resolve("pig.png.part.json");
    Files.writeString(sidecar, Files.readString(sidecar).replace("alt=media", "alt=media&x=1"),
        StandardCharsets.UTF_8);
    long sentBefore = FarmMedia.sentBytes(server);
    MediaDownload again = download();
    assertThat(again.resumableBytes()).isZero();

    again.execute();

    assertThat(FarmMedia.sentBytes(server) - sentBefore).isEqualTo(BYTES.length);
    assertThat(Files.readAllBytes(file)).isEqualTo(BYTES);
  }

  @Test
  void mediaReplacedBetweenChunksRestartsAFileDownloadFromZero() throws Exception {
    MediaDownload download = download();
    List<MediaDownloadProgress> events = new ArrayList<>();
    download = download.withProgressListener(events::add);
    DownloadChunk first = download.nextChunk();
    assertThat(first.progress().bytesDownloaded()).isEqualTo(256 * KIB);
    byte[] newer = LiveServer.randomBytes(3 * 256 * KIB + 5, 10);
    FarmMedia.replace(server, id, newer);

    DownloadResult result = download.execute();

    assertThat(Files.readAllBytes(file)).isEqualTo(newer);
    assertThat(result.verified()).isTrue();
    assertThat(events).extracting(MediaDownloadProgress::bytesDownloaded).contains(0L);
  }

  @Test
  void mediaReplacedBetweenChunksFailsAStreamThatAlreadyHasBytes() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MediaDownload download = MediaDownload.to(out, server.client(),
        FarmMedia.mediaUri(server, id)).withChunkSize(256 * KIB);
    download.nextChunk();
    FarmMedia.replace(server, id, LiveServer.randomBytes(1000, 11));

    assertThatThrownBy(download::nextChunk).isInstanceOf(ResumableDownloadError.class)
        .hasMessageContaining("changed");
    assertThat(Arrays.equals(out.toByteArray(), 0, out.size(), BYTES, 0, out.size())).isTrue();
    assertThatThrownBy(download::nextChunk).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void twoDownloadsCannotShareAPartialFile() throws Exception {
    interruptedDownload();
    try (var channel = java.nio.channels.FileChannel.open(dir.resolve("pig.png.part"),
        java.nio.file.StandardOpenOption.WRITE); var lock = channel.lock()) {
      assertThatThrownBy(() -> download().nextChunk()).hasMessageContaining("another download");
    }
  }
}
