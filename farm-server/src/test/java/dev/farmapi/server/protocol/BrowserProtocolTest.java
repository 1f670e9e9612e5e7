package dev.farmapi.server.protocol;

import static dev.farmapi.server.protocol.ResumableUploadTest.K256;
import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The protocol's browser traps, on the wire: a 308 never carries {@code Location} (browsers
 * would follow it and re-send the chunk), {@code X-GUploader-No-308: yes} turns it into a 200
 * with {@code X-Http-Status-Code-Override: 308}, and CORS lets the listed origins (only those)
 * send the protocol's headers and read {@code Range} and {@code Location}.
 */
class BrowserProtocolTest {
  static final String APP = "http://app.example:3000";

  @RegisterExtension static final TestServer server =
      TestServer.perClass(b -> b.corsOrigins(List.of(APP + "/", "https://other.example")));

  FarmTestClient farm;

  @BeforeEach
  void newFarm() throws Exception {
    farm = server.clientOfNewFarm();
  }

  @Test
  void no308HeaderGets200WithOverrideAndTheSameRangeThenTheAnimal() throws Exception {
    byte[] media = FarmTestClient.randomBytes(2 * K256 + 17, 81);
    String session = farm.initiate("{\"name\":\"Go\"}", "image/png", media.length);

    RawHttp.Response first = farm.anonymous("PUT", session)
        .header("X-GUploader-No-308", "yes")
        .header("Content-Range", "bytes 0-" + (K256 - 1) + "/" + media.length)
        .body(Arrays.copyOf(media, K256)).send();
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("X-Http-Status-Code-Override")).isEqualTo("308");
    assertThat(first.header("Range")).isEqualTo("bytes=0-" + (K256 - 1));
    assertThat(first.header("Location")).isNull();
    assertThat(first.body()).isEmpty();

    RawHttp.Response query = farm.anonymous("PUT", session)
        .header("X-GUploader-No-308", "YES")
        .header("Content-Range", "bytes */" + media.length).body(new byte[0]).send();
    assertThat(query.status()).isEqualTo(200);
    assertThat(query.header("X-Http-Status-Code-Override")).isEqualTo("308");
    assertThat(query.header("Range")).isEqualTo("bytes=0-" + (K256 - 1));

    RawHttp.Response last = farm.anonymous("PUT", session)
        .header("X-GUploader-No-308", "yes")
        .header("Content-Range", "bytes " + K256 + "-" + (media.length - 1) + "/" + media.length)
        .body(Arrays.copyOfRange(media, K256, media.length)).send();
    assertThat(last.status()).isEqualTo(200);
    assertThat(last.header("X-Http-Status-Code-Override")).isNull();
    String id = last.json().get("id").asText();
    assertThat(FarmTestClient.sha256(farm.download(id))).isEqualTo(FarmTestClient.sha256(media));
  }

  @Test
  void plain308HasRangeAndNoLocationAndErrorsAreNotOverridden() throws Exception {
    byte[] media = FarmTestClient.randomBytes(2 * K256, 82);
    String session = farm.initiate(null, "image/png", media.length);

    RawHttp.Response chunk = farm.putChunk(session, 0, Arrays.copyOf(media, K256), media.length);
    assertThat(chunk.status()).isEqualTo(308);
    assertThat(chunk.header("Location")).isNull();
    assertThat(chunk.header("X-Http-Status-Code-Override")).isNull();

    // A chunk that breaks the 256 KiB rule is a 400, with or without the header.
    RawHttp.Response bad = farm.anonymous("PUT", session)
        .header("X-GUploader-No-308", "yes")
        .header("Content-Range", "bytes " + K256 + "-" + (K256 + 9) + "/" + media.length)
        .body(new byte[10]).send();
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.header("X-Http-Status-Code-Override")).isNull();
  }

  @Test
  void preflightOfAListedOriginAllowsTheProtocolsHeaders() throws Exception {
    RawHttp.Response r = farm.anonymous("OPTIONS", "/upload/farm/v1/animals?uploadType=resumable")
        .header("Origin", APP)
        .header("Access-Control-Request-Method", "PUT")
        .header("Access-Control-Request-Headers", "content-range,x-guploader-no-308,authorization")
        .send();

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo(APP);
    assertThat(r.header("Access-Control-Allow-Methods")).contains("PUT", "DELETE", "PATCH");
    assertThat(r.header("Access-Control-Allow-Headers").toLowerCase())
        .contains("content-range", "x-guploader-no-308", "authorization",
            "x-upload-content-type", "x-upload-content-length");
    assertThat(r.header("Access-Control-Allow-Credentials")).isNull();
  }

  @Test
  void aListedOriginCanReadRangeAndLocation() throws Exception {
    RawHttp.Response initiated = farm.request("POST", "/upload/farm/v1/animals?uploadType=resumable")
        .header("Origin", "https://other.example")
        .header("X-Upload-Content-Type", "image/png")
        .header("X-Upload-Content-Length", Integer.toString(2 * K256)).send();
    assertThat(initiated.status()).isEqualTo(200);
    assertThat(initiated.header("Access-Control-Allow-Origin")).isEqualTo("https://other.example");
    assertThat(exposed(initiated)).contains("location", "range", "x-goog-hash",
        "x-http-status-code-override");

    String session = FarmTestClient.target(initiated.header("Location"));
    RawHttp.Response chunk = farm.anonymous("PUT", session)
        .header("Origin", APP)
        .header("Content-Range", "bytes 0-" + (K256 - 1) + "/" + (2 * K256))
        .body(new byte[K256]).send();
    assertThat(chunk.status()).isEqualTo(308);
    assertThat(chunk.header("Access-Control-Allow-Origin")).isEqualTo(APP);
    assertThat(exposed(chunk)).contains("range");

    RawHttp.Response error = farm.anonymous("GET", "/farm/v1/animals").header("Origin", APP).send();
    assertThat(error.status()).isEqualTo(401);
    assertThat(error.header("Access-Control-Allow-Origin")).isEqualTo(APP);
    assertThat(exposed(error)).contains("www-authenticate");
  }

  @Test
  void otherOriginsGetNoCorsHeaders() throws Exception {
    RawHttp.Response preflight = farm.anonymous("OPTIONS", "/farm/v1/animals")
        .header("Origin", "http://evil.example")
        .header("Access-Control-Request-Method", "DELETE").send();
    assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
    assertThat(preflight.header("Access-Control-Allow-Methods")).isNull();

    RawHttp.Response list = farm.request("GET", "/farm/v1/animals")
        .header("Origin", "http://app.example:3001").send();
    assertThat(list.status()).isEqualTo(200); // the browser, not the server, withholds it
    assertThat(list.header("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void aServerWithoutCorsOriginsSendsNoCorsHeaders() throws Exception {
    try (TestServer plain = TestServer.start(java.nio.file.Files.createTempDirectory("farm-nocors"))) {
      RawHttp.Response r = plain.client().request("GET", "/farm/v1/animals")
          .header("Origin", APP).send();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.headers().keySet()).noneMatch(h -> h.startsWith("access-control-"));
    }
  }

  private static String exposed(RawHttp.Response r) {
    return String.valueOf(r.header("Access-Control-Expose-Headers")).toLowerCase();
  }
}
