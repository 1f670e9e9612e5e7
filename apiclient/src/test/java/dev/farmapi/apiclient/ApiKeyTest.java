package dev.farmapi.apiclient;

import static dev.farmapi.apiclient.testing.TestUploads.assertStored;
import static dev.farmapi.apiclient.testing.TestUploads.insert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.media.MediaInMemoryUpload;
import dev.farmapi.apiclient.testing.GoogleStandIn;
import dev.farmapi.apiclient.testing.LiveServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * API keys as Google's clients send them: {@code ?key=} (Python's {@code developerKey}) or
 * {@code X-Goog-Api-Key}, beside {@code Authorization: Bearer} credentials; and never in a
 * message or a log line.
 */
class ApiKeyTest {
  static final String KEY = "AIzaSyTestKey-0123456789";

  @TempDir Path dir;

  static RecordedRequest take(MockWebServer server) throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(r).as("a request arrived").isNotNull();
    return r;
  }

  static MockResponse ok() {
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
        .body("{\"ok\": true}").build();
  }

  @Test
  void sendsTheKeyAsTheKeyQueryParameterAndNoAuthorizationHeader() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(ok());
      server.start();
      ApiClient client = ApiClient.builder().apiKey(KEY).build();

      client.request("GET", server.url("/drive/v3/files?pageSize=2").uri()).build().execute();

      RecordedRequest sent = take(server);
      assertThat(sent.getTarget()).isEqualTo("/drive/v3/files?pageSize=2&key=" + KEY);
      assertThat(sent.getHeaders().get("Authorization")).isNull();
      assertThat(sent.getHeaders().get("X-Goog-Api-Key")).isNull();
    }
  }

  @Test
  void sendsTheKeyAsXGoogApiKeyWhenAskedAndBesideBearerCredentials() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(ok());
      server.start();
      ApiClient client = ApiClient.builder().apiKeyHeader(KEY)
          .credentials(Credentials.bearer("ya29.token")).build();

      client.request("GET", server.url("/drive/v3/files").uri()).build().execute();

      RecordedRequest sent = take(server);
      assertThat(sent.getTarget()).isEqualTo("/drive/v3/files");
      assertThat(sent.getHeaders().get("X-Goog-Api-Key")).isEqualTo(KEY);
      assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer ya29.token");
    }
  }

  @Test
  void aKeyTheUriAlreadyHasIsKeptAndNotSentTwice() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(ok());
      server.start();
      ApiClient client = ApiClient.builder().apiKey(KEY).build();

      client.request("GET", server.url("/v1/x?key=mine").uri()).build().execute();

      assertThat(take(server).getTarget()).isEqualTo("/v1/x?key=mine");
    }
  }

  @Test
  void theKeyGoesWithTheRequestThatStartsASessionAndNotOnTheSessionUri() throws Exception {
    try (GoogleStandIn google = new GoogleStandIn()) {
      ApiClient client = ApiClient.builder().apiKey(KEY).build();
      byte[] bytes = LiveServer.randomBytes(262144 + 10, 6);

      client.request("POST", URI.create(google.root() + "drive/v3/files"))
          .media(MediaInMemoryUpload.of(bytes, "image/png").withChunkSize(262144).resumable(),
              URI.create(google.root() + "upload/drive/v3/files"))
          .build().execute();

      assertThat(google.take().getTarget())
          .isEqualTo("/upload/drive/v3/files?uploadType=resumable&key=" + KEY);
      for (int chunk = 0; chunk < 2; chunk++) {
        assertThat(google.take().getTarget()).contains("upload_id=").doesNotContain("key=");
      }
      assertThat(google.lastUpload()).isEqualTo(bytes);
    }
  }

  @Test
  void theFarmServerTakesTheKeyInTheQueryForEveryKindOfUpload() throws Exception {
    try (LiveServer farm = LiveServer.start(dir.resolve("server"),
        b -> b.shutdownGrace(Duration.ofMillis(100)))) {
      ApiClient client = ApiClient.builder().apiKey(farm.key()).build();
      byte[] bytes = LiveServer.randomBytes(3 * 262144 + 17, 4);
      for (MediaInMemoryUpload media : new MediaInMemoryUpload[] {
          MediaInMemoryUpload.of(bytes, "image/png"),
          MediaInMemoryUpload.of(bytes, "image/png").withChunkSize(262144).resumable()}) {
        assertStored(farm, insert(farm, client, "Pig", media, null).build().execute(), bytes);
      }
    }
  }

  @Test
  void neitherMessagesNorLogLinesEverShowTheKey() throws Exception {
    // The library's loggers, at every level (the server's own logs are not the library's).
    Logger root = (Logger) LoggerFactory.getLogger("dev.farmapi.apiclient");
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    ch.qos.logback.classic.Level level = root.getLevel();
    root.setLevel(ch.qos.logback.classic.Level.DEBUG);
    try (LiveServer farm = LiveServer.start(dir.resolve("server"),
        b -> b.shutdownGrace(Duration.ofMillis(100)))) {
      String key = farm.key();
      ApiClient client = ApiClient.builder().apiKey(key).idleTimeout(Duration.ofMillis(700))
          .retryPolicy(RetryPolicy.defaults().withDelays(Duration.ofMillis(10), Duration.ofMillis(50)))
          .build();
      // A chunk the server stalls on: the engine's timeout names the request, key and all.
      String test = farm.retryTest("farm.animals.insert", "stall-for-2s-after-256K");
      byte[] bytes = LiveServer.randomBytes(2 * 262144 + 5, 5);
      HttpRequest<JsonNode> stalled = insert(farm, client, "Pig",
          MediaInMemoryUpload.of(bytes, "image/png").withChunkSize(524288).resumable(), test).build();
      IOException timeout = catchIo(() -> stalled.nextChunk(0));
      // Retried to the end: the retry is logged with the failure it retries.
      assertStored(farm, stalled.execute(), bytes);
      // An error status, and a key of the caller's own in the URI.
      IOException notFound = catchIo(() -> client.request("GET",
          farm.uri("farm/v1/animals/nope?key=" + key)).build().execute());
      IOException badKey = catchIo(() -> ApiClient.builder().apiKey("not-" + key).build()
          .request("GET", farm.uri("farm/v1/animals")).build().execute());

      assertThat(timeout).isInstanceOf(java.net.http.HttpTimeoutException.class);
      assertThat(notFound).isInstanceOf(HttpError.class).hasMessageContaining("key=***");
      assertThat(badKey).isInstanceOf(HttpError.class);
      for (IOException e : new IOException[] {timeout, notFound, badKey}) {
        assertThat(e.toString()).doesNotContain(key);
      }
      assertThat(logs.list).isNotEmpty();
      assertThat(logs.list).allSatisfy(event -> assertThat(event.getFormattedMessage()
          + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage()))
          .doesNotContain(key));
    } finally {
      root.detachAppender(logs);
      root.setLevel(level);
    }
  }

  @Test
  void displayMasksCredentialParametersUnderAnySpellingAndUserInfo() {
    assertThat(dev.farmapi.apiclient.internal.Uris.display(URI.create(
        "https://u:p@www.googleapis.com/upload/drive/v3/files?uploadType=resumable&upload_id=U1"
            + "&key=K1&%6Bey=K2&KEY=K3&access_token=T1#f")))
        .isEqualTo("https://***@www.googleapis.com/upload/drive/v3/files"
            + "?uploadType=resumable&upload_id=U1&key=***&%6Bey=***&KEY=***&access_token=***#f");
    assertThat(dev.farmapi.apiclient.internal.Uris.display(URI.create("http://h/p?keys=1")))
        .isEqualTo("http://h/p?keys=1");
  }

  interface IoCall {
    void run() throws IOException;
  }

  static IOException catchIo(IoCall call) {
    try {
      call.run();
    } catch (IOException e) {
      return e;
    }
    throw new AssertionError("expected an IOException");
  }

  @Test
  void refusesAKeyThatIsBlankOrSpansLines() {
    assertThatThrownBy(() -> ApiClient.builder().apiKey(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ApiClient.builder().apiKeyHeader("a\r\nX-Evil: 1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Credentials.bearer("a\nb")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Credentials.bearer("secret").toString()).doesNotContain("secret");
  }
}
