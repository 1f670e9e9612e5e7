package dev.farmapi.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/** The Farm protocol spelled out over {@link RawHttp}, for tests that check the wire. */
public final class FarmTestClient {
  private final URI server;
  private final String key;

  FarmTestClient(URI server, String key) {
    this.server = server;
    this.key = key;
  }

  /** A client of the server at {@code server} with {@code key}, e.g. a {@link ChildServer}. */
  public static FarmTestClient of(URI server, String key) {
    return new FarmTestClient(server, key);
  }

  public FarmTestClient withKey(String otherKey) {
    return new FarmTestClient(server, otherKey);
  }

  /** The same key against a server that came back elsewhere (a restart picks a new port). */
  public FarmTestClient on(URI otherServer) {
    return new FarmTestClient(otherServer, key);
  }

  /** The API key this client sends. */
  public String key() {
    return key;
  }

  public URI server() {
    return server;
  }

  /** A request carrying this client's key. */
  public RawHttp.Request request(String method, String target) {
    return RawHttp.request(server, method, target).bearer(key);
  }

  /** A request without any key, as real clients send chunks to a session URI. */
  public RawHttp.Request anonymous(String method, String target) {
    return RawHttp.request(server, method, target);
  }

  public JsonNode insertSimple(byte[] media, String contentType) throws IOException {
    return ok(request("POST", "/upload/farm/v1/animals?uploadType=media")
        .header("Content-Type", contentType).body(media).send());
  }

  public JsonNode insertMultipart(String metadata, byte[] media, String contentType)
      throws IOException {
    String boundary = "test_boundary_4f2a";
    return ok(request("POST", "/upload/farm/v1/animals?uploadType=multipart")
        .header("Content-Type", "multipart/related; boundary=" + boundary)
        .body(multipart(boundary, "\r\n", metadata, media, contentType))
        .send());
  }

  /** A multipart/related body framed with {@code lineBreak} ("\r\n" or "\n"). */
  public static byte[] multipart(String boundary, String lineBreak, String metadata, byte[] media,
      String contentType) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head = "--" + boundary + lineBreak
        + "Content-Type: application/json; charset=UTF-8" + lineBreak + lineBreak
        + metadata + lineBreak
        + "--" + boundary + lineBreak
        + "Content-Type: " + contentType + lineBreak + lineBreak;
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(media);
    out.writeBytes((lineBreak + "--" + boundary + "--" + lineBreak).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** Starts a resumable insert; returns the session URI's path and query. */
  public String initiate(String metadata, String contentType, long total) throws IOException {
    RawHttp.Request r = request("POST", "/upload/farm/v1/animals?uploadType=resumable")
        .header("X-Upload-Content-Type", contentType);
    if (total >= 0) {
      r.header("X-Upload-Content-Length", Long.toString(total));
    }
    if (metadata != null) {
      r.json(metadata);
    }
    RawHttp.Response response = r.send();
    if (response.status() != 200) {
      throw new AssertionError("initiation failed: " + response);
    }
    return target(response.header("Location"));
  }

  /** PUTs {@code chunk} at {@code first} of a session, without a key. */
  public RawHttp.Response putChunk(String session, long first, byte[] chunk, long total)
      throws IOException {
    return anonymous("PUT", session)
        .header("Content-Range", "bytes " + first + "-" + (first + chunk.length - 1) + "/"
            + (total < 0 ? "*" : Long.toString(total)))
        .body(chunk)
        .send();
  }

  /** A status query ({@code bytes *}{@code /TOTAL}, or {@code *}{@code /*} for -1). */
  public RawHttp.Response query(String session, long total) throws IOException {
    return anonymous("PUT", session)
        .header("Content-Range", "bytes */" + (total < 0 ? "*" : Long.toString(total)))
        .body(new byte[0])
        .send();
  }

  /** Uploads {@code media} resumably in chunks of {@code chunkSize}; returns the animal. */
  public JsonNode uploadResumable(String metadata, byte[] media, int chunkSize)
      throws IOException {
    String session = initiate(metadata, "application/octet-stream", media.length);
    RawHttp.Response last = null;
    for (int first = 0; first < media.length || last == null; first += chunkSize) {
      int end = Math.min(media.length, first + chunkSize);
      last = putChunk(session, first, java.util.Arrays.copyOfRange(media, first, end), media.length);
    }
    return ok(last);
  }

  /**
   * Creates a retry test whose faults fire, in order, on requests of {@code methodId} that opt in
   * (header {@code x-retry-test-id}, or a session whose initiation did); returns its id.
   */
  public String retryTest(String methodId, String... instructions) throws IOException {
    SharedCluster.assumeOneProcess(SharedCluster.RETRY_TESTS);
    StringBuilder json = new StringBuilder("{\"instructions\": {\"" + methodId + "\": [");
    for (int i = 0; i < instructions.length; i++) {
      json.append(i == 0 ? "\"" : ", \"").append(instructions[i]).append('"');
    }
    json.append("]}}");
    return ok(request("POST", "/retry_test").json(json.toString()).send()).get("id").asText();
  }

  /** Whether every fault of the retry test has fired. */
  public boolean retryTestCompleted(String id) throws IOException {
    return ok(request("GET", "/retry_test/" + id).send()).get("completed").asBoolean();
  }

  public byte[] download(String id) throws IOException {
    RawHttp.Response r = request("GET", "/farm/v1/animals/" + id + "?alt=media").send();
    if (r.status() != 200) {
      throw new AssertionError("download failed: " + r);
    }
    return r.body();
  }

  /** The ids of every animal of this client's farm, following the pages. */
  public java.util.List<String> listIds() throws IOException {
    java.util.List<String> ids = new java.util.ArrayList<>();
    String token = null;
    do {
      JsonNode page = ok(request("GET", "/farm/v1/animals?maxResults=1000"
          + (token == null ? "" : "&pageToken=" + token)).send());
      page.path("items").forEach(a -> ids.add(a.get("id").asText()));
      token = page.hasNonNull("nextPageToken") ? page.get("nextPageToken").asText() : null;
    } while (token != null);
    return ids;
  }

  public RawHttp.Response get(String id) throws IOException {
    return request("GET", "/farm/v1/animals/" + id).send();
  }

  /** The path and query of an absolute URI, for {@link RawHttp}. */
  public static String target(String absolute) {
    URI uri = URI.create(absolute);
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  public static JsonNode ok(RawHttp.Response response) {
    if (response.status() != 200) {
      throw new AssertionError("expected 200, got " + response);
    }
    return response.json();
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Deterministic pseudo-random bytes, so a failing test fails the same way again. */
  public static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
