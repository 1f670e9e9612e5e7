package dev.farmapi.apiclient;

import static dev.farmapi.apiclient.testing.TestUploads.assertStored;
import static dev.farmapi.apiclient.testing.TestUploads.insert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.media.MediaInMemoryUpload;
import dev.farmapi.apiclient.media.MediaUpload;
import dev.farmapi.apiclient.testing.LiveServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failures that a retry cannot mend fail at once, with the server's own words; retries that
 * are not allowed (numRetries = 0) or would overrun the policy's deadline are not made.
 */
class NonRetryableFailuresTest {
  static final String INSERT = "farm.animals.insert";

  @TempDir static Path dir;
  static LiveServer server;
  static ApiClient client;
  static final byte[] bytes = LiveServer.randomBytes(300_000, 11);

  @BeforeAll
  static void start() throws Exception {
    // Real limits of a real server: 413 past 1 MB, 415 for anything but images.
    server = LiveServer.start(dir.resolve("server"),
        b -> b.maxUploadSize(1_000_000).accept(List.of("image/*")));
    client = server.client();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static MediaUpload resumable() {
    return MediaInMemoryUpload.of(bytes, "image/png").withChunkSize(262144).resumable();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 403, 404})
  void rejectedInitiationFailsAtOnceWithTheServersReason(int status) throws Exception {
    String test = server.retryTest(INSERT, "return-" + status, "return-" + status);
    double sessionsBefore = server.metric("farm_upload_sessions_started_total");

    HttpError e = catchThrowableOfType(HttpError.class,
        () -> insert(server, client, "pig", resumable(), test).build().execute());

    assertThat(e).isInstanceOf(ResumableUploadError.class);
    assertThat(e.statusCode()).isEqualTo(status);
    assertThat(e.reason()).isEqualTo("injectedFault");
    assertThat(e.getMessage()).contains("HTTP " + status + ": fault injected by retry test " + test);
    assertThat(server.retryTestRemaining(test, INSERT)).as("attempts beyond the first")
        .containsExactly("return-" + status);
    assertThat(server.metric("farm_upload_sessions_started_total")).isEqualTo(sessionsBefore);
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 403, 404})
  void rejectedSimpleAndMultipartUploadsFailAtOnce(int status) throws Exception {
    for (String name : new String[] {null, "cow"}) {
      String test = server.retryTest(INSERT, "return-" + status, "return-" + status);
      HttpError e = catchThrowableOfType(HttpError.class, () -> insert(server, client, name,
          MediaInMemoryUpload.of(bytes, "image/png"), test).build().execute());

      assertThat(e.statusCode()).isEqualTo(status);
      assertThat(e.reason()).isEqualTo("injectedFault");
      assertThat(server.retryTestRemaining(test, INSERT)).hasSize(1);
    }
  }

  @Test
  void updateOfAMissingAnimalFailsWith404AndTheServersMessage() {
    HttpError e = catchThrowableOfType(HttpError.class, () -> client
        .request("PUT", server.uri("farm/v1/animals/nosuch"))
        .body(Map.of("name", "ghost"))
        .media(resumable(), server.uri("upload/farm/v1/animals/nosuch")).build().execute());

    assertThat(e.statusCode()).isEqualTo(404);
    assertThat(e.reason()).isEqualTo("notFound");
    assertThat(e.getMessage()).contains("animal nosuch not found");
  }

  @Test
  void mediaTooLargeOrOfAnUnacceptedTypeFailsWithTheServersReason() throws Exception {
    byte[] large = new byte[1_000_001];
    HttpError tooLarge = catchThrowableOfType(HttpError.class, () -> insert(server, client, "cow",
        MediaInMemoryUpload.of(large, "image/png").resumable(), null).build().execute());
    HttpError simpleTooLarge = catchThrowableOfType(HttpError.class, () -> insert(server, client,
        null, MediaInMemoryUpload.of(large, "image/png"), null).build().execute());
    HttpError unaccepted = catchThrowableOfType(HttpError.class, () -> insert(server, client, "cow",
        MediaInMemoryUpload.of(bytes, "text/plain").resumable(), null).build().execute());
    HttpError malformed = catchThrowableOfType(HttpError.class, () -> insert(server, client, "cow",
        MediaInMemoryUpload.of(bytes, "not a type").resumable(), null).build().execute());

    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.reason()).isEqualTo("uploadTooLarge");
    assertThat(tooLarge.getMessage()).contains("exceeds this server's maximum of 1000000 bytes");
    assertThat(simpleTooLarge.statusCode()).isEqualTo(413);
    assertThat(unaccepted.statusCode()).isEqualTo(415);
    assertThat(unaccepted.reason()).isEqualTo("unsupportedMediaType");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.reason()).isEqualTo("invalidMediaType");
    assertThat(server.animalsNamed("cow")).isEmpty();
  }

  @Test
  void zeroRetriesSurfacesTheFirstRetryableFailure() throws Exception {
    String test = server.retryTest(INSERT, "return-503", "return-503");

    HttpError e = catchThrowableOfType(HttpError.class,
        () -> insert(server, client, "pig", resumable(), test).build().execute(0));

    assertThat(e.statusCode()).isEqualTo(503);
    assertThat(server.retryTestRemaining(test, INSERT)).containsExactly("return-503");
  }

  @Test
  void clientWithoutRetriesSurfacesTheFirstFailureOfASimpleUpload() throws Exception {
    String test = server.retryTest(INSERT, "return-reset-connection", "return-503");
    ApiClient noRetries = server.client(RetryPolicy.none());

    assertThatThrownBy(() -> insert(server, noRetries, null,
        MediaInMemoryUpload.of(bytes, "image/png"), test).build().execute())
        .isInstanceOf(IOException.class).isNotInstanceOf(HttpError.class);
    assertThat(server.retryTestRemaining(test, INSERT)).containsExactly("return-503");
  }

  @Test
  void failedChunkWithoutRetriesLeavesTheRequestReadyToGoOn() throws Exception {
    String test = server.retryTest(INSERT, "stall-for-0s-after-0K", "return-503-after-100K");
    byte[] threeChunks = LiveServer.randomBytes(700_000, 12);
    HttpRequest<JsonNode> request = insert(server, client, "sow",
        MediaInMemoryUpload.of(threeChunks, "image/png").withChunkSize(262144).resumable(), test)
        .build();

    HttpError e = catchThrowableOfType(HttpError.class, () -> request.nextChunk(0));
    assertThat(e.statusCode()).isEqualTo(503);
    assertThat(request.progress().orElseThrow().bytesUploaded()).isZero();

    UploadChunk<JsonNode> next = request.nextChunk(0); // queries, then sends from 100 KiB
    assertThat(next.progress().orElseThrow().bytesUploaded()).isEqualTo(100 * 1024 + 262144);
    JsonNode animal = request.execute(0);

    assertStored(server, animal, threeChunks);
    assertThat(server.animalsNamed("sow")).hasSize(1);
  }

  @Test
  void retriesStopWhenTheNextPauseWouldPassTheDeadline() throws Exception {
    String test = server.retryTest(INSERT, Collections.nCopies(5, "return-503")
        .toArray(String[]::new));
    RetryPolicy policy = RetryPolicy.defaults().withMaxRetries(100)
        .withDelays(Duration.ofSeconds(10), Duration.ofSeconds(10))
        .withDeadline(Duration.ofSeconds(1));
    long start = System.nanoTime();

    HttpError e = catchThrowableOfType(HttpError.class, () -> insert(server,
        server.client(policy), "pig", resumable(), test).build().execute());

    assertThat(e.statusCode()).isEqualTo(503);
    assertThat(server.retryTestRemaining(test, INSERT)).as("no retry: its pause is 5 s or more")
        .hasSize(4);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void retriesWithinADeadlineAreBoundedByIt() throws Exception {
    String test = server.retryTest(INSERT, Collections.nCopies(40, "return-503")
        .toArray(String[]::new));
    // Pauses of 25 to 50 ms (half the delay, plus jitter) in a 300 ms deadline: 12 retries at most.
    RetryPolicy policy = RetryPolicy.defaults().withMaxRetries(100)
        .withDelays(Duration.ofMillis(50), Duration.ofMillis(50))
        .withDeadline(Duration.ofMillis(300));

    HttpError e = catchThrowableOfType(HttpError.class, () -> insert(server,
        server.client(policy), "pig", resumable(), test).build().execute());

    assertThat(e.statusCode()).isEqualTo(503);
    int attempts = 40 - server.retryTestRemaining(test, INSERT).size();
    assertThat(attempts).isBetween(1, 1 + 12);
  }
}
