package dev.farmapi.apiclient.download;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.DownloadResult;
import dev.farmapi.apiclient.MediaDownload;
import dev.farmapi.apiclient.MediaDownloadProgress;
import dev.farmapi.apiclient.RetryPolicy;
import dev.farmapi.apiclient.testing.LiveServer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Downloads through the server's injected faults: every one is retried, resumes where the bytes
 * stop, and ends with the very bytes that were uploaded.
 */
class DownloadFaultsTest {
  static final int KIB = 1024;
  static final byte[] BYTES = LiveServer.randomBytes(5 * 256 * KIB + 4321, 7);

  @TempDir Path dir;
  LiveServer server;
  String id;

  @BeforeEach
  void start() throws Exception {
    server = LiveServer.start(dir.resolve("server"));
    id = FarmMedia.upload(server, BYTES);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"return-broken-stream-after-256K", "return-reset-connection",
      "return-503", "stall-for-1s-after-128K"})
  void fileDownloadRecoversFromFault(String fault) throws Exception {
    String test = server.retryTest("farm.animals.get", fault);
    Path file = dir.resolve("pig.png");
    List<MediaDownloadProgress> events = new ArrayList<>();

    DownloadResult result = MediaDownload.to(file, server.client(), FarmMedia.mediaUri(server, id))
        .withChunkSize(512 * KIB)
        .withHeader("x-retry-test-id", test)
        .withProgressListener(events::add)
        .execute();

    assertThat(server.retryTestCompleted(test)).isTrue();
    assertThat(LiveServer.sha256(Files.readAllBytes(file))).isEqualTo(LiveServer.sha256(BYTES));
    assertThat(result.verified()).isTrue();
    assertThat(events).extracting(MediaDownloadProgress::bytesDownloaded).isSorted()
        .last().isEqualTo((long) BYTES.length);
  }

  @ParameterizedTest
  @ValueSource(strings = {"return-broken-stream-after-256K", "return-reset-connection",
      "return-503", "stall-for-1s-after-128K"})
  void oneShotStreamDownloadRecoversFromFault(String fault) throws Exception {
    String test = server.retryTest("farm.animals.get", fault);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    MediaDownload.to(out, server.client(), FarmMedia.mediaUri(server, id))
        .withChunkSize(-1)
        .withHeader("x-retry-test-id", test)
        .execute();

    assertThat(server.retryTestCompleted(test)).isTrue();
    assertThat(LiveServer.sha256(out.toByteArray())).isEqualTo(LiveServer.sha256(BYTES));
  }

  @Test
  void severalBrokenStreamsInARowEachResumeWhereTheBytesStop() throws Exception {
    String test = server.retryTest("farm.animals.get", "return-broken-stream-after-256K",
        "return-broken-stream-after-128K", "return-broken-stream-after-64K", "return-503");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    MediaDownload.to(out, server.client(), FarmMedia.mediaUri(server, id))
        .withChunkSize(-1)
        .withHeader("x-retry-test-id", test)
        .execute();

    assertThat(server.retryTestCompleted(test)).isTrue();
    assertThat(out.toByteArray()).isEqualTo(BYTES); // a byte written twice would show here
  }

  @Test
  void stallShorterThanTheIdleTimeoutIsWaitedOutWithoutARetry() throws Exception {
    String test = server.retryTest("farm.animals.get", "stall-for-2s-after-256K");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long start = System.nanoTime();

    MediaDownload.to(out, server.client(RetryPolicy.none()), FarmMedia.mediaUri(server, id))
        .withChunkSize(-1)
        .withHeader("x-retry-test-id", test)
        .execute();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofSeconds(2));
    assertThat(out.toByteArray()).isEqualTo(BYTES);
  }

  @Test
  void stallLongerThanTheIdleTimeoutIsCutAndResumed() throws Exception {
    String test = server.retryTest("farm.animals.get", "stall-for-4s-after-256K");
    ApiClient impatient = ApiClient.builder().apiKey(server.key())
        .idleTimeout(Duration.ofMillis(700))
        .retryPolicy(RetryPolicy.defaults().withDelays(Duration.ofMillis(10), Duration.ofMillis(100)))
        .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long start = System.nanoTime();

    MediaDownload.to(out, impatient, FarmMedia.mediaUri(server, id))
        .withChunkSize(-1)
        .withHeader("x-retry-test-id", test)
        .execute();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(out.toByteArray()).isEqualTo(BYTES);
  }
}
