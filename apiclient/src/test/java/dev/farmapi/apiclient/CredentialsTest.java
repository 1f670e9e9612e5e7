package dev.farmapi.apiclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.testing.LiveServer;
import dev.farmapi.server.ApiKeys;
import dev.farmapi.server.store.MetadataStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Credentials} against the real Farm server, whose keys go as bearer tokens: the
 * server's key revocation is a token the server stops accepting mid-upload, so a 401 arrives
 * exactly where Google would send one for a revoked access token.
 */
class CredentialsTest {
  static final int CHUNK = 256 * 1024;

  @TempDir Path dir;
  LiveServer server;
  MetadataStore store;

  @BeforeEach
  void start() throws IOException {
    // A short grace: the client's idle keep-alive connections would hold a graceful stop.
    server = LiveServer.start(dir.resolve("server"), b -> b.shutdownGrace(Duration.ofMillis(100)));
    store = server.metadata();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  /** Hands out one key after another: the next on each refresh, as a token endpoint would. */
  static final class RotatingKeys implements Credentials {
    final List<String> keys;
    final AtomicInteger current = new AtomicInteger();
    final AtomicInteger asked = new AtomicInteger();
    final AtomicInteger refreshed = new AtomicInteger();

    RotatingKeys(String... keys) {
      this.keys = List.of(keys);
    }

    @Override
    public Map<String, String> headers(URI uri) {
      asked.incrementAndGet();
      return Map.of("Authorization", "Bearer " + keys.get(current.get()));
    }

    @Override
    public boolean refresh() {
      refreshed.incrementAndGet();
      if (current.get() + 1 >= keys.size()) {
        return false;
      }
      current.incrementAndGet();
      return true;
    }
  }

  ApiClient client(Credentials credentials) {
    return ApiClient.builder().credentials(credentials)
        .retryPolicy(RetryPolicy.defaults().withDelays(Duration.ofMillis(10), Duration.ofMillis(100)))
        .idleTimeout(Duration.ofSeconds(5)).build();
  }

  String newKey() {
    return ApiKeys.create(store, ApiKeys.DEFAULT_FARM);
  }

  /** Revokes the key and waits until the server refuses it (its key cache trusts for 2 s). */
  void revoke(String key) {
    ApiKeys.revoke(store, key, false, Instant.now());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> http.send(java.net.http.HttpRequest.newBuilder(server.uri("farm/v1/whoami"))
            .header("Authorization", "Bearer " + key).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 401);
  }

  @Test
  void refreshesOnceAfterA401MidUploadAndResumesFromTheServersOffset() throws Exception {
    String first = newKey();
    RotatingKeys credentials = new RotatingKeys(first, newKey());
    Path file = LiveServer.randomFile(dir.resolve("pig.bin"), 8L * CHUNK + 1234, 7);
    HttpRequest<JsonNode> request = client(credentials)
        .request("POST", server.uri("farm/v1/animals")).body(Map.of("name", "Pig"))
        .media(MediaFileUpload.of(file).withMimeType("image/png").withChunkSize(CHUNK).resumable(),
            server.uri("upload/farm/v1/animals"))
        .build();
    for (int i = 0; i < 3; i++) {
      assertThat(request.nextChunk().response()).isNull();
    }

    revoke(first);
    JsonNode animal = null;
    while (animal == null) {
      animal = request.nextChunk().response();
    }

    assertThat(credentials.refreshed).hasValue(1);
    // The initiation, 9 chunks, the refused chunk and the status query after it, at least.
    assertThat(credentials.asked.get()).isGreaterThanOrEqualTo(12);
    assertThat(server.downloadSha256(animal.get("id").asText()))
        .isEqualTo(LiveServer.sha256(file));
    // Resumed from the server's offset: no byte the server held was sent again.
    assertThat(server.metric("farm_upload_received_bytes_total"))
        .isEqualTo((double) java.nio.file.Files.size(file));
  }

  @Test
  void sendsAOneRequestUploadAgainWithFreshHeadersAndItsChecksumsStillMatch() throws Exception {
    String first = newKey();
    revoke(first);
    RotatingKeys credentials = new RotatingKeys(first, newKey());
    Path file = LiveServer.randomFile(dir.resolve("pig.bin"), 200_000, 8);

    // Multipart: the client checks the server's crc32c against its own of the bytes it sent.
    JsonNode animal = client(credentials).request("POST", server.uri("farm/v1/animals"))
        .body(Map.of("name", "Pig"))
        .media(MediaFileUpload.of(file).withMimeType("image/png"), server.uri("upload/farm/v1/animals"))
        .build().execute();

    assertThat(credentials.refreshed).hasValue(1);
    assertThat(server.downloadSha256(animal.get("id").asText())).isEqualTo(LiveServer.sha256(file));
  }

  @Test
  void aSecond401AfterTheRefreshIsTheCallersHttpError() throws Exception {
    String revoked = newKey();
    revoke(revoked);
    // Says it renewed, but hands out the same refused key.
    RotatingKeys credentials = new RotatingKeys(revoked, revoked);

    assertThatThrownBy(() -> client(credentials).request("GET", server.uri("farm/v1/animals"))
        .build().execute())
        .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.statusCode()).isEqualTo(401));
    assertThat(credentials.refreshed).hasValue(1);
    assertThat(credentials.asked).hasValue(2);
  }

  @Test
  void credentialsThatCannotRefreshLeaveThe401AsItIs() throws Exception {
    String revoked = newKey();
    revoke(revoked);

    assertThatThrownBy(() -> client(Credentials.bearer(revoked))
        .request("GET", server.uri("farm/v1/animals")).build().execute())
        .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.statusCode()).isEqualTo(401))
        .hasMessageNotContaining(revoked);
  }

  @Test
  void aPermanentCredentialsFailureFailsAtOnceAndATransientOneIsRetried() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    Credentials refused = uri -> {
      calls.incrementAndGet();
      throw new CredentialsException("invalid_grant", null, false);
    };
    assertThatThrownBy(() -> client(refused).request("GET", server.uri("farm/v1/animals"))
        .build().execute(3))
        .isInstanceOf(CredentialsException.class).hasMessage("invalid_grant");
    assertThat(calls).hasValue(1);

    AtomicInteger tries = new AtomicInteger();
    String key = server.key();
    Credentials flaky = uri -> {
      if (tries.incrementAndGet() < 3) {
        throw new java.net.ConnectException("token endpoint: connection refused");
      }
      return Map.of("Authorization", "Bearer " + key);
    };
    // A token endpoint that is down is the credentials' failure, not "the API server is
    // unreachable" (which would be final): it is retried, and the call succeeds.
    assertThat(client(flaky).request("GET", server.uri("farm/v1/animals")).build().execute(3)
        .path("kind").asText()).isEqualTo("farm#animalList");
    assertThat(tries).hasValue(3);
  }

  @Test
  void aDownloadRefreshesAfterA401Too() throws Exception {
    String first = newKey();
    RotatingKeys credentials = new RotatingKeys(first, newKey());
    ApiClient client = client(credentials);
    byte[] bytes = LiveServer.randomBytes(300_000, 9);
    JsonNode animal = client.request("POST", server.uri("farm/v1/animals"))
        .body(Map.of("name", "Pig"))
        .media(dev.farmapi.apiclient.media.MediaInMemoryUpload.of(bytes, "image/png"),
            server.uri("upload/farm/v1/animals"))
        .build().execute();
    revoke(first);

    Path copy = dir.resolve("copy.png");
    MediaDownload.to(copy, client, URI.create(animal.get("mediaLink").asText())).execute();

    assertThat(credentials.refreshed).hasValue(1);
    assertThat(LiveServer.sha256(copy)).isEqualTo(LiveServer.sha256(bytes));
  }
}
