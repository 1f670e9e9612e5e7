package dev.farmapi.apiclient.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.RetryPolicy;
import dev.farmapi.server.FarmServer;
import dev.farmapi.server.ServerConfig;
import dev.farmapi.server.store.BlobStore;
import dev.farmapi.server.store.MetadataStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The real Farm server in this JVM, on a free 127.0.0.1 port, with fault injection on, for the
 * library's tests; plus what those tests need from it: a client with its key and fast retries,
 * downloads for hash checks, retry tests.
 */
public final class LiveServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FarmServer server;
  private final MetadataStore metadata;
  private final String key;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private LiveServer(FarmServer server, MetadataStore metadata) {
    this.server = server;
    this.metadata = metadata;
    this.key = server.newAdminKey().orElseThrow();
  }

  public static LiveServer start(Path dataDir) throws IOException {
    return start(dataDir, b -> b);
  }

  public static LiveServer start(Path dataDir, UnaryOperator<ServerConfig.Builder> customize)
      throws IOException {
    return start(dataDir, customize, UnaryOperator.identity(), UnaryOperator.identity());
  }

  /**
   * A server that serves through stores wrapped around its real ones: the farm-server test-jar's
   * {@code FaultyBlobStore} and {@code FaultyMetadataStore}, for a disk or database that fails.
   */
  public static LiveServer start(Path dataDir, UnaryOperator<ServerConfig.Builder> customize,
      UnaryOperator<BlobStore> blobs, UnaryOperator<MetadataStore> meta) throws IOException {
    AtomicReference<MetadataStore> real = new AtomicReference<>();
    FarmServer server = FarmServer.start(customize.apply(ServerConfig.builder(dataDir)
        .port(0).faultInjection(true).bodyTimeout(Duration.ofSeconds(2))
        .shutdownGrace(Duration.ofSeconds(1))).build(), blobs, m -> {
          real.set(m);
          return meta.apply(m);
        });
    return new LiveServer(server, real.get());
  }

  /**
   * The server's own metadata store (not a wrapper around it): keys made or revoked here are
   * what an operator's {@code farm keys} would do.
   */
  public MetadataStore metadata() {
    return metadata;
  }

  public URI uri() {
    return server.uri();
  }

  public URI uri(String path) {
    return server.uri().resolve(path);
  }

  public String key() {
    return key;
  }

  /** A client with this server's key and retries that wait milliseconds, not seconds. */
  public ApiClient client() {
    return clientBuilder().build();
  }

  public ApiClient client(RetryPolicy policy) {
    return clientBuilder().retryPolicy(policy).build();
  }

  /** A builder with this server's key, fast retries and a 5 s idle timeout, to adjust. */
  public ApiClient.Builder clientBuilder() {
    return ApiClient.builder().apiKey(key)
        .retryPolicy(RetryPolicy.defaults().withDelays(Duration.ofMillis(10), Duration.ofMillis(100)))
        .idleTimeout(Duration.ofSeconds(5));
  }

  /** The stored media of an animal. */
  public byte[] download(String animalId) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(
            uri("farm/v1/animals/" + animalId + "?alt=media"))
        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new AssertionError("download of " + animalId + " failed: " + r.statusCode());
    }
    return r.body();
  }

  /** SHA-256 (hex) of an animal's stored media, streamed: for media too large to hold. */
  public String downloadSha256(String animalId) throws IOException, InterruptedException {
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(
            uri("farm/v1/animals/" + animalId + "?alt=media"))
        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      throw new AssertionError("download of " + animalId + " failed: " + r.statusCode());
    }
    try (InputStream in = r.body()) {
      return sha256(in);
    }
  }

  /**
   * Asks a resumable session where it stands ({@code bytes *}{@code /total}): the number of
   * bytes the server holds, or -1 when the upload is complete.
   */
  public long sessionOffset(URI session, long total) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(session)
        .header("Content-Range", "bytes */" + total)
        .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 200) {
      return -1;
    }
    if (r.statusCode() != 308) {
      throw new AssertionError("status query failed: " + r.statusCode() + " " + r.body());
    }
    return r.headers().firstValue("Range")
        .map(range -> Long.parseLong(range.substring(range.indexOf('-') + 1)) + 1).orElse(0L);
  }

  /**
   * The session's offset once nothing more arrives on it: a status query answers the recorded
   * offset at once, without waiting for a chunk still in flight (a killed client's last bytes
   * may still be in the sockets' buffers), so this asks until two answers 250 ms apart agree.
   */
  public long settledSessionOffset(URI session, long total) throws Exception {
    long previous = Long.MIN_VALUE;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      long now = sessionOffset(session, total);
      if (now == previous) {
        return now;
      }
      previous = now;
      Thread.sleep(250);
    }
    throw new AssertionError("the offset of " + session + " kept moving for 30 s");
  }

  /** Creates a retry test (fault injection) and returns its id. */
  public String retryTest(String method, String... instructions) throws IOException, InterruptedException {
    StringBuilder list = new StringBuilder();
    for (String i : instructions) {
      list.append(list.length() == 0 ? "" : ",").append('"').append(i).append('"');
    }
    String body = "{\"instructions\":{\"" + method + "\":[" + list + "]}}";
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("retry_test"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    String text = r.body();
    int at = text.indexOf("\"id\":\"") + 6;
    return text.substring(at, text.indexOf('"', at));
  }

  /** Whether every instruction of a retry test has fired. */
  public boolean retryTestCompleted(String id) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri("retry_test/" + id)).build(),
        HttpResponse.BodyHandlers.ofString()).body().contains("\"completed\":true");
  }

  /** The instructions of a retry test that have not fired yet, for {@code method}. */
  public List<String> retryTestRemaining(String id, String method)
      throws IOException, InterruptedException {
    JsonNode test = JSON.readTree(http.send(HttpRequest.newBuilder(uri("retry_test/" + id)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    List<String> left = new ArrayList<>();
    test.path("instructions").path(method).forEach(i -> left.add(i.asText()));
    return left;
  }

  /**
   * A counter from {@code /metrics} (Prometheus text), summed over its labels: e.g.
   * {@code farm_upload_received_bytes_total}, the media bytes the server read from request bodies.
   */
  public double metric(String name) throws IOException, InterruptedException {
    String text = http.send(HttpRequest.newBuilder(uri("metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** Every animal of this server's farm. */
  public List<JsonNode> animals() throws IOException, InterruptedException {
    List<JsonNode> all = new ArrayList<>();
    String token = null;
    do {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("farm/v1/animals?maxResults=100"
              + (token == null ? "" : "&pageToken=" + token)))
          .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("listing animals failed: " + r.statusCode() + " " + r.body());
      }
      JsonNode page = JSON.readTree(r.body());
      page.path("items").forEach(all::add);
      token = page.hasNonNull("nextPageToken") ? page.get("nextPageToken").asText() : null;
    } while (token != null);
    return all;
  }

  /** The animals named {@code name}. */
  public List<JsonNode> animalsNamed(String name) throws IOException, InterruptedException {
    return animals().stream().filter(a -> name.equals(a.path("name").asText(null))).toList();
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  public static String sha256(InputStream in) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  public static String sha256(Path file) throws IOException {
    try (InputStream in = java.nio.file.Files.newInputStream(file)) {
      return sha256(in);
    }
  }

  /** Writes {@code size} pseudo-random bytes (from {@code seed}) to {@code file}, 1 MiB at a time. */
  public static Path randomFile(Path file, long size, long seed) throws IOException {
    Random random = new Random(seed);
    byte[] block = new byte[1 << 20];
    try (var out = java.nio.file.Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= block.length) {
        random.nextBytes(block);
        out.write(block, 0, (int) Math.min(block.length, left));
      }
    }
    return file;
  }

  public static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
