package dev.farmapi.apiclient.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.Credentials;
import dev.farmapi.apiclient.CredentialsException;
import dev.farmapi.apiclient.HttpRequest;
import dev.farmapi.apiclient.RetryPolicy;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.media.MediaUpload;
import dev.farmapi.apiclient.testing.LiveServer;
import dev.farmapi.server.ApiKeys;
import dev.farmapi.server.store.MetadataStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service account's OAuth 2.0 flow end to end, without the internet: google-auth signs a JWT
 * with the key of a generated service-account JSON and trades it at that file's
 * {@code token_uri} (a {@link TokenEndpoint} on 127.0.0.1) for access tokens, which the real
 * Farm server accepts as bearer tokens (each is a Farm API key with the token's lifetime, so
 * the server refuses a token once it expires or is revoked, as Google's would).
 */
class GoogleAuthTest {
  static final String SCOPE = "https://www.googleapis.com/auth/devstorage.read_write";
  static final int CHUNK = 256 * 1024;

  @TempDir Path dir;
  LiveServer server;
  MetadataStore store;
  TokenEndpoint tokens;
  Path serviceAccount;

  @BeforeEach
  void start() throws Exception {
    server = LiveServer.start(dir.resolve("server"), b -> b.shutdownGrace(Duration.ofMillis(100)));
    store = server.metadata();
    tokens = new TokenEndpoint(life -> ApiKeys.create(store, ApiKeys.DEFAULT_FARM,
        ApiKeys.Options.DEFAULT.withLifetime(life), Instant.now()).secret());
    serviceAccount = tokens.writeServiceAccountJson(dir.resolve("service-account.json"));
  }

  @AfterEach
  void stop() throws IOException {
    tokens.close();
    server.close();
  }

  /** Counts what the client asks of the credentials it is given. */
  static final class Counting implements Credentials {
    final Credentials delegate;
    final AtomicInteger refreshes = new AtomicInteger();

    Counting(Credentials delegate) {
      this.delegate = delegate;
    }

    @Override
    public Map<String, String> headers(URI uri) throws IOException {
      return delegate.headers(uri);
    }

    @Override
    public boolean refresh() throws IOException {
      refreshes.incrementAndGet();
      return delegate.refresh();
    }
  }

  ApiClient client(Credentials credentials) {
    return ApiClient.builder().credentials(credentials)
        .retryPolicy(RetryPolicy.defaults().withDelays(Duration.ofMillis(10), Duration.ofMillis(100)))
        .idleTimeout(Duration.ofSeconds(5)).build();
  }

  HttpRequest<JsonNode> insert(ApiClient client, MediaUpload media) {
    return client.request("POST", server.uri("farm/v1/animals")).body(Map.of("name", "Pig"))
        .media(media, server.uri("upload/farm/v1/animals")).build();
  }

  static JsonNode finish(HttpRequest<JsonNode> request, Duration pause) throws Exception {
    JsonNode done = null;
    while (done == null) {
      done = request.nextChunk().response();
      if (done == null) {
        Thread.sleep(pause.toMillis());
      }
    }
    return done;
  }

  @Test
  void uploadsWithTheTokenThatTheServiceAccountJsonsTokenUriGrants() throws Exception {
    Path file = LiveServer.randomFile(dir.resolve("pig.png"), 3L * CHUNK + 99, 1);
    ApiClient client = client(GoogleAuth.fromJson(serviceAccount, SCOPE));

    JsonNode multipart = insert(client, MediaFileUpload.of(file)).execute();
    JsonNode resumable = insert(client, MediaFileUpload.of(file).withChunkSize(CHUNK).resumable())
        .execute();

    for (JsonNode animal : new JsonNode[] {multipart, resumable}) {
      assertThat(server.downloadSha256(animal.get("id").asText())).isEqualTo(LiveServer.sha256(file));
    }
    assertThat(tokens.grants).hasSize(1); // one token, kept while fresh
    assertThat(tokens.grants.get(0).scope()).isEqualTo(SCOPE);
  }

  @Test
  void renewsTokensThatExpireDuringAMultiChunkUploadBeforeTheServerRefusesThem() throws Exception {
    // Tokens live 3 s on the server; google-auth renews one when 1.5 s or less are left (its
    // defaults are minutes, for hour-long tokens).
    tokens.lifetime(Duration.ofSeconds(3));
    ServiceAccountCredentials.Builder b = ((ServiceAccountCredentials) GoogleAuth
        .fromJson(serviceAccount, SCOPE).delegate()).toBuilder();
    b.setRefreshMargin(Duration.ofMillis(1500));
    b.setExpirationMargin(Duration.ofSeconds(1));
    Counting credentials = new Counting(GoogleAuth.of(b.build()));
    Path file = LiveServer.randomFile(dir.resolve("pig.png"), 8L * CHUNK + 5, 2);

    // 9 chunks half a second apart: about 4 s, longer than any one token lives.
    JsonNode animal = finish(insert(client(credentials),
        MediaFileUpload.of(file).withChunkSize(CHUNK).resumable()), Duration.ofMillis(500));

    assertThat(server.downloadSha256(animal.get("id").asText())).isEqualTo(LiveServer.sha256(file));
    assertThat(tokens.grants.size()).as("tokens granted").isGreaterThanOrEqualTo(3);
    assertThat(credentials.refreshes).as("refreshes after a 401: none was needed").hasValue(0);
  }

  @Test
  void refreshesOnceAfterA401MidUploadAndResumesFromTheServersOffset() throws Exception {
    Counting credentials = new Counting(GoogleAuth.fromJson(serviceAccount, SCOPE));
    Path file = LiveServer.randomFile(dir.resolve("pig.png"), 8L * CHUNK + 5, 3);
    HttpRequest<JsonNode> request = insert(client(credentials),
        MediaFileUpload.of(file).withChunkSize(CHUNK).resumable());
    for (int i = 0; i < 3; i++) {
      assertThat(request.nextChunk().response()).isNull();
    }

    revoke(tokens.grants.get(0).token()); // the token is revoked mid-upload
    JsonNode animal = finish(request, Duration.ZERO);

    assertThat(credentials.refreshes).hasValue(1);
    assertThat(tokens.grants).hasSize(2);
    assertThat(server.downloadSha256(animal.get("id").asText())).isEqualTo(LiveServer.sha256(file));
    assertThat(server.metric("farm_upload_received_bytes_total"))
        .as("resumed from the server's offset: nothing was sent twice")
        .isEqualTo((double) Files.size(file));
  }

  @Test
  void aGrantTheTokenEndpointRefusesFailsAtOnceWithItsError() throws Exception {
    tokens.refuse("invalid_grant");
    ApiClient client = client(GoogleAuth.fromJson(serviceAccount, SCOPE));

    assertThatThrownBy(() -> client.request("GET", server.uri("farm/v1/animals")).build()
        .execute())
        .isInstanceOfSatisfying(CredentialsException.class,
            e -> assertThat(e.isRetryable()).isFalse())
        .hasMessageContaining("invalid_grant");
  }

  @Test
  void applicationDefaultCredentialsComeFromTheFileGoogleApplicationCredentialsNames()
      throws Exception {
    Path file = LiveServer.randomFile(dir.resolve("pig.png"), 2L * CHUNK + 1, 4);
    ProcessBuilder child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), AdcUpload.class.getName(),
        server.uri().toString(), file.toString())
        .redirectError(dir.resolve("child.err").toFile());
    child.environment().put("GOOGLE_APPLICATION_CREDENTIALS", serviceAccount.toString());
    child.environment().put("NO_GCE_CHECK", "true"); // never probe a metadata server
    Process p = child.start();
    String id;
    try (InputStream out = p.getInputStream()) {
      String[] lines = new String(out.readAllBytes()).trim().split("\n");
      id = lines[lines.length - 1]; // the animal's id, after whatever logging printed
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("child.err"))).isZero();

    assertThat(server.downloadSha256(id)).isEqualTo(LiveServer.sha256(file));
    assertThat(tokens.grants).hasSize(1);
  }

  /** What a user's program does: Application Default Credentials, a resumable upload. */
  static final class AdcUpload {
    public static void main(String[] args) throws Exception {
      ApiClient client = ApiClient.builder()
          .credentials(GoogleAuth.applicationDefault(SCOPE)).build();
      URI root = URI.create(args[0]);
      JsonNode animal = client.request("POST", root.resolve("farm/v1/animals"))
          .body(Map.of("name", "Pig"))
          .media(MediaFileUpload.of(Path.of(args[1])).withChunkSize(CHUNK).resumable(),
              root.resolve("upload/farm/v1/animals"))
          .build().execute();
      System.out.println(animal.get("id").asText());
    }
  }

  /** Revokes the Farm key behind a token and waits until the server refuses it. */
  void revoke(String token) throws Exception {
    ApiKeys.revoke(store, token, true, Instant.now());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> http.send(java.net.http.HttpRequest.newBuilder(server.uri("farm/v1/whoami"))
            .header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 401);
  }
}
