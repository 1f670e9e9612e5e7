package dev.farmapi.apiclient;

import static dev.farmapi.apiclient.testing.TestUploads.assertStored;
import static dev.farmapi.apiclient.testing.TestUploads.insert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.media.MediaStreamUpload;
import dev.farmapi.apiclient.media.MediaUpload;
import dev.farmapi.apiclient.testing.LiveServer;
import dev.farmapi.apiclient.testing.TestUploads.Driver;
import java.io.ByteArrayInputStream;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that stops reading mid-chunk: past the client's idle timeout the chunk fails, the
 * client asks where the server stands and resumes; within it the upload is only slower.
 */
class StalledServerTest {
  static final long CHUNK = 1024 * 1024;
  static final int SIZE = 2 * (int) CHUNK + 4321;

  @TempDir Path dir;
  LiveServer server;
  byte[] bytes;
  Path file;

  @BeforeEach
  void start() throws Exception {
    // The client's idle keep-alive connection holds a graceful stop for its whole grace period.
    server = LiveServer.start(dir.resolve("server"), b -> b.shutdownGrace(Duration.ofMillis(100)));
    bytes = LiveServer.randomBytes(SIZE, 3);
    file = Files.write(dir.resolve("hen.png"), bytes);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void stalledChunkFailsWithATimeoutAndTheSameRequestThenResumesFromTheServersOffset()
      throws Exception {
    ApiClient client = server.clientBuilder().idleTimeout(Duration.ofSeconds(1)).build();
    String test = server.retryTest("farm.animals.insert", "stall-for-3s-after-256K");
    HttpRequest<JsonNode> request = insert(server, client, "hen",
        MediaFileUpload.of(file).withChunkSize(CHUNK).resumable(), test).build();

    assertThatThrownBy(() -> request.nextChunk(0))
        .as("the client gives up on the stalled chunk after 1 s, long before the server wakes")
        .isInstanceOf(HttpTimeoutException.class);
    JsonNode animal = request.execute(); // asks the server where it stands, then goes on

    assertStored(server, animal, bytes);
    assertThat(server.retryTestRemaining(test, "farm.animals.insert")).isEmpty();
    assertThat(server.animalsNamed("hen")).hasSize(1);
    assertThat(server.metric("farm_upload_received_bytes_total"))
        .as("what reached the server before the timeout is not sent again")
        .isEqualTo(SIZE);
  }

  @Test
  void streamUploadRecoversFromAStalledChunkWithinOneExecute() throws Exception {
    ApiClient client = server.clientBuilder().idleTimeout(Duration.ofSeconds(1)).build();
    String test = server.retryTest("farm.animals.insert", "stall-for-3s-after-256K");
    MediaUpload media = MediaStreamUpload.of(new ByteArrayInputStream(bytes), "image/png")
        .withChunkSize(CHUNK).resumable();

    JsonNode animal = Driver.NEXT_CHUNK.run(insert(server, client, "hen", media, test).build());

    assertStored(server, animal, bytes);
    assertThat(server.retryTestRemaining(test, "farm.animals.insert")).isEmpty();
    assertThat(server.animalsNamed("hen")).hasSize(1);
    assertThat(server.metric("farm_upload_received_bytes_total")).isEqualTo(SIZE);
  }

  @Test
  void stallShorterThanTheIdleTimeoutOnlySlowsTheUpload() throws Exception {
    ApiClient client = server.clientBuilder().idleTimeout(Duration.ofSeconds(5)).build();
    String test = server.retryTest("farm.animals.insert", "stall-for-1s-after-256K");
    List<Long> progress = new CopyOnWriteArrayList<>();
    MediaUpload media = MediaFileUpload.of(file).withChunkSize(CHUNK).resumable();

    JsonNode animal = insert(server, client, "hen", media, test)
        .progressListener(p -> progress.add(p.bytesUploaded())).build().execute();

    assertStored(server, animal, bytes);
    assertThat(server.retryTestRemaining(test, "farm.animals.insert")).isEmpty();
    assertThat(progress).as("no byte was sent twice").isSorted();
    assertThat(server.metric("farm_upload_received_bytes_total")).isEqualTo(SIZE);
    assertThat(server.metric("farm_errors_total")).isZero();
  }
}
