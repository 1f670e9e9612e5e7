package dev.farmapi.server.protocol;

import static dev.farmapi.server.protocol.ResumableUploadTest.K256;
import static dev.farmapi.server.protocol.ResumableUploadTest.slice;
import static dev.farmapi.server.testing.ProtocolAssert.assertError;
import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.ReliabilityReport;
import dev.farmapi.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile and broken requests: each gets a clear 4xx JSON error with a reason, no partial animal
 * appears, and the server goes on serving.
 */
class BadInputTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();

  FarmTestClient farm;
  byte[] media;
  JsonNode pig;

  @BeforeEach
  void farmWithOneAnimal() throws Exception {
    farm = server.clientOfNewFarm();
    media = FarmTestClient.randomBytes(4000, 141);
    pig = farm.insertMultipart("{\"name\":\"Pig\"}", media, "image/png");
  }

  /** After every bad request: nothing new, the animal unchanged, and a valid request works. */
  /** Hostile requests sent by this class's tests, for target/reliability/BadInputTest.json. */
  static int hostileInputs;

  @org.junit.jupiter.api.AfterAll
  static void recordCounts() throws Exception {
    // Each was asserted a 4xx JSON error, with no partial animal afterwards (@AfterEach).
    ReliabilityReport report = new ReliabilityReport("BadInputTest");
    report.add("hostileInputsRefusedWith4xxJson", hostileInputs);
    report.write();
  }

  @AfterEach
  void serverKeepsServingAndNothingPartialAppeared() throws Exception {
    assertThat(farm.listIds()).containsExactly(pig.get("id").asText());
    JsonNode now = FarmTestClient.ok(farm.get(pig.get("id").asText()));
    assertThat(now.get("etag")).isEqualTo(pig.get("etag"));
    assertStored(farm, now, media);
  }

  private RawHttp.Response insert(String json) throws Exception {
    return farm.request("POST", "/farm/v1/animals").json(json).send();
  }

  @Test
  void malformedContentRangeIs400AndLeavesTheSessionAsItWas() throws Exception {
    byte[] upload = FarmTestClient.randomBytes(2 * K256, 142);
    String session = farm.initiate(null, "image/png", upload.length);
    farm.putChunk(session, 0, slice(upload, 0, K256), upload.length);
    List<String> headers = List.of("bytes 262144-262153", "bytes=262144-262153/524288",
        "bytes 262153-262144/524288", "bytes 262144-262153/262150", "bytes -262144-262153/524288",
        "bytes 262144-99999999999999999999/524288", "bytes 262144-262153/-5",
        "bytes 262144-262153/99999999999999999999", "octets 262144-262153/524288",
        "bytes 262144-262153/524288, bytes 0-9/524288", "bytes", "bytes 1e3-262153/524288",
        "bytes 262144-262153/524288 trailing", "bytes */", "bytes *-5/524288");

    for (String header : headers) {
      RawHttp.Response r = farm.anonymous("PUT", session).header("Content-Range", header)
          .body(new byte[10]).send();
      assertError(r, 400, "invalidContentRange");
    }

    assertThat(farm.query(session, upload.length).header("Range")).isEqualTo("bytes=0-262143");
    JsonNode done = FarmTestClient.ok(farm.putChunk(session, K256, slice(upload, K256,
        upload.length), upload.length));
    assertStored(farm, done, upload);
    assertThat(farm.request("DELETE", "/farm/v1/animals/" + done.get("id").asText()).send()
        .status()).isEqualTo(204);
  }

  @Test
  void contentLengthsThatLieOrDisagreeAreClear4xxErrors() throws Exception {
    byte[] upload = FarmTestClient.randomBytes(2 * K256, 143);
    String session = farm.initiate(null, "image/png", upload.length);

    assertError(farm.anonymous("PUT", session).header("Content-Range", "bytes 0-262143/524288")
        .header("Content-Length", "10").body(new byte[10]).send(), 400, "invalidContentLength");
    // Jetty refuses these before routing, with the same JSON errors.
    for (String length : new String[] {"-5", "abc", "99999999999999999999999"}) {
      assertError(farm.anonymous("PUT", session)
          .header("Content-Range", "bytes 0-9/524288").header("Content-Length", length)
          .body(new byte[0]).send(), 400, "badRequest");
    }
    assertError(farm.anonymous("PUT", session).header("Content-Range", "bytes 0-9/524288")
        .header("Content-Length", "10").header("Content-Length", "11").body(new byte[10]).send(),
        400, "badRequest");

    assertThat(farm.query(session, upload.length).header("Range")).isNull();
    assertThat(farm.anonymous("DELETE", session).send().status()).isEqualTo(499);
  }

  @Test
  void hostileAnimalIdsAreRefusedOrNotFoundAndNeverEscapeTheFolder() throws Exception {
    // id -> what every method on it answers. Ids we could never have made are 400 invalidId;
    // what Jetty finds ambiguous or undecodable (encoded dots, slashes, NUL, bad UTF-8) is 400
    // before routing; '..' is resolved away and ';b' is a path parameter, so those route to
    // something that does not exist.
    Object[][] cases = {
        {"x".repeat(65), 400, "invalidId"}, {"y".repeat(5000), 400, "invalidId"},
        {"%C3%A9l%C3%A9phant", 400, "invalidId"}, {"%E2%80%AE", 400, "invalidId"},
        {"a%20b", 400, "invalidId"}, {"*", 400, "invalidId"}, {"a.b", 400, "invalidId"},
        {"%2e%2e", 400, "badRequest"}, {"%00", 400, "badRequest"}, {"a%00b", 400, "badRequest"},
        {"..%2F..%2Fetc%2Fpasswd", 400, "badRequest"}, {"..%5C..%5Cwindows", 400, "badRequest"},
        {"%252e%252e", 400, "badRequest"}, {"%FF", 400, "badRequest"}, {"%", 400, "badRequest"},
        {"..", 404, "notFound"}, {"a;b", 404, "notFound"},
    };

    for (Object[] c : cases) {
      String id = (String) c[0];
      int status = (Integer) c[1];
      String reason = (String) c[2];
      assertError(farm.request("GET", "/farm/v1/animals/" + id).send(), status, reason);
      assertError(farm.request("GET", "/farm/v1/animals/" + id + "?alt=media").send(), status,
          reason);
      assertError(farm.request("PATCH", "/farm/v1/animals/" + id).json("{\"name\":\"x\"}")
          .send(), status, reason);
      assertError(farm.request("DELETE", "/farm/v1/animals/" + id).send(), status, reason);
      assertError(farm.request("PUT", "/upload/farm/v1/animals/" + id + "?uploadType=media")
          .header("Content-Type", "image/png").body(new byte[10]).send(), status, reason);
    }
    assertThat(server.dataDir().getParent().resolve("etc")).doesNotExist();
  }

  @Test
  void namesWithLineBreaksOrControlCharactersAre400() throws Exception {
    for (String json : new String[] {"{\"name\":\"a\\r\\nX-Injected: 1\"}",
        "{\"name\":\"nul\\u0000\"}", "{\"species\":\"del\\u007f\"}", "{\"name\":\"nel\\u0085\"}",
        "{\"name\":\"tab\\t\"}"}) {
      assertError(insert(json), 400, "invalidField");
      assertError(farm.request("PATCH", "/farm/v1/animals/" + pig.get("id").asText()).json(json)
          .send(), 400, "invalidField");
      assertError(farm.request("POST", "/upload/farm/v1/animals?uploadType=resumable")
          .header("X-Upload-Content-Type", "image/png").json(json).send(), 400, "invalidField");
    }
    assertError(insert("{\"name\":\"" + "n".repeat(1025) + "\"}"), 400, "invalidField");
  }

  @Test
  void jsonOverOneMebibyteIs413() throws Exception {
    String huge = "{\"name\":\"" + "n".repeat((1 << 20) + 10) + "\"}";

    assertError(insert(huge), 413, "payloadTooLarge");
    assertError(farm.request("POST", "/upload/farm/v1/animals?uploadType=resumable")
        .header("X-Upload-Content-Type", "image/png").json(huge).send(), 413, "payloadTooLarge");
    assertError(farm.request("POST", "/farm/v1/animals").header("Content-Type",
        "application/json").header("Transfer-Encoding", "chunked")
        .body(chunked(huge.getBytes(StandardCharsets.US_ASCII))).send(), 413, "payloadTooLarge");
    // Valid JSON, only padded past the limit, and without a Content-Length to say so upfront.
    String padded = " ".repeat(3 << 19) + "{\"name\":\"Padded\"}";
    assertError(farm.request("POST", "/farm/v1/animals").header("Content-Type",
        "application/json").header("Transfer-Encoding", "chunked")
        .body(chunked(padded.getBytes(StandardCharsets.US_ASCII))).send(), 413, "payloadTooLarge");
  }

  @Test
  void jsonThatIsNoObjectOrIsMalformedIs400() throws Exception {
    for (String json : new String[] {"[]", "\"pig\"", "42", "null", "true", "{", "{\"name\":}",
        "{'name':'x'}", "{\"name\":\"a\"} {}", "{\"name\":\"a\",\"name\":\"b\"}",
        "[".repeat(100) + "]".repeat(100), "{\"name\":NaN}"}) {
      assertError(insert(json), 400, "parseError");
    }
    assertError(farm.request("POST", "/farm/v1/animals").header("Content-Type",
        "application/json").body(new byte[] {'{', '"', 'n', '"', ':', '"', (byte) 0xC3, '"', '}'})
        .send(), 400, "parseError");
  }

  @Test
  void unknownOrWronglyTypedJsonFieldsAre400AndOutputOnlyFieldsAreIgnored() throws Exception {
    assertError(insert("{\"nmae\":\"Pig\"}"), 400, "unknownField");
    assertError(insert("{\"name\":5}"), 400, "invalidField");
    assertError(insert("{\"name\":{\"first\":\"P\"}}"), 400, "invalidField");

    JsonNode cow = FarmTestClient.ok(insert("{\"id\":\"chosen\",\"etag\":\"e\",\"name\":\"Cow\"}"));
    assertThat(cow.get("id").asText()).isNotEqualTo("chosen");
    assertThat(cow.get("etag").asText()).isNotEqualTo("e");
    assertThat(farm.request("DELETE", "/farm/v1/animals/" + cow.get("id").asText()).send()
        .status()).isEqualTo(204);
  }

  @Test
  void wrongMethodsAre405WithAllow() throws Exception {
    String id = pig.get("id").asText();
    String session = farm.initiate(null, "image/png", 10);
    Object[][] cases = {
        {"DELETE", "/farm/v1/animals", "GET, POST"},
        {"POST", "/farm/v1/animals/" + id, "GET, PUT, PATCH, DELETE"},
        {"GET", "/upload/farm/v1/animals?uploadType=media", "POST"},
        {"POST", "/upload/farm/v1/animals/" + id + "?uploadType=media", "PUT"},
        {"POST", session, "PUT, DELETE"},
        {"GET", session, "PUT, DELETE"},
        {"POST", "/healthz", "GET"},
        {"DELETE", "/discovery/v1/apis/farm/v1/rest", "GET"},
        {"PUT", "/retry_test", "POST"},
    };
    for (Object[] c : cases) {
      RawHttp.Response r = farm.request((String) c[0], (String) c[1]).send();
      assertError(r, 405, "methodNotAllowed");
      assertThat(r.header("Allow")).as("%s %s", c[0], c[1]).isEqualTo(c[2]);
    }
    assertThat(farm.anonymous("DELETE", session).send().status()).isEqualTo(499);
  }

  @Test
  void oversizedHeadersAre431Json() throws Exception {
    RawHttp.Response r = farm.request("GET", "/farm/v1/animals")
        .header("X-Padding", "p".repeat(64 * 1024)).send();

    assertError(r, 431, "headersTooLarge");
  }

  @Test
  void unknownPathsAre404Json() throws Exception {
    // "/" is the web page (WebPageTest).
    for (String path : new String[] {"/farm", "/farm/v2/animals", "/upload/farm/v1/cows",
        "/farm/v1/animals/a/b"}) {
      assertError(farm.request("GET", path).send(), 404, "notFound");
    }
  }

  @Test
  void hostileUploadIdsAre404JsonLikeAnyUnknownIdAndNeverReachAHeader() throws Exception {
    String[] ids = {"..%2F..%2Fetc%2Fpasswd", "../x", "%2e%2e", "%00", "a%00b", "x".repeat(5000),
        "%E2%80%AE", "%C3%A9", "%0D%0AX-Injected:%201", "%0AX-Injected:%201", "*", "a%20b",
        "%FF", ""};
    for (String id : ids) {
      String target = "/upload/farm/v1/animals?uploadType=resumable&upload_id=" + id;
      RawHttp.Response query = farm.anonymous("PUT", target)
          .header("Content-Range", "bytes */10").body(new byte[0]).send();
      RawHttp.Response cancel = farm.anonymous("DELETE", target).send();
      for (RawHttp.Response r : List.of(query, cancel)) {
        assertThat(r.status()).as(id).isIn(400, 404);
        assertThat(r.json().at("/error/code").asInt()).isEqualTo(r.status());
        assertThat(r.headers().keySet()).noneMatch(h -> h.equalsIgnoreCase("X-Injected"));
        assertThat(r.text()).hasSizeLessThan(1000); // the id is quoted, not echoed in full
      }
    }
    hostileInputs += 2 * ids.length;
  }

  @Test
  void deeplyNestedJsonIsAClean400EverywhereJsonIsRead() throws Exception {
    // Well under 1 MiB, far deeper than any recursive parser's stack.
    String[] deep = {"[".repeat(200_000), "{\"a\":".repeat(100_000),
        "{\"name\":" + "[".repeat(50_000) + "]".repeat(50_000) + "}"};
    String id = pig.get("id").asText();
    for (String json : deep) {
      assertError(insert(json), 400, "parseError");
      assertError(farm.request("PATCH", "/farm/v1/animals/" + id).json(json).send(), 400,
          "parseError");
      assertError(farm.request("PUT", "/farm/v1/animals/" + id).json(json).send(), 400,
          "parseError");
      assertError(farm.request("POST", "/upload/farm/v1/animals?uploadType=resumable")
          .header("X-Upload-Content-Type", "image/png").json(json).send(), 400, "parseError");
      assertError(farm.request("POST", "/retry_test").json(json).send(), 400, "parseError");
    }
    hostileInputs += 5 * deep.length;
  }

  @Test
  void numbersOutOfRangeAreClean400s() throws Exception {
    for (String length : new String[] {"9223372036854775808", "-1", "1e3", "0x10", "12 34",
        "\u0661\u0662"}) {
      RawHttp.Response r = farm.request("POST", "/upload/farm/v1/animals?uploadType=resumable")
          .header("X-Upload-Content-Type", "image/png").header("X-Upload-Content-Length", length)
          .send();
      assertThat(r.status()).as(length).isEqualTo(400);
      assertThat(r.reason()).as(length).isIn("invalidUploadLength", "badRequest");
    }
    for (String max : new String[] {"99999999999999999999", "-1", "1e3", "abc", "%00"}) {
      assertError(farm.request("GET", "/farm/v1/animals?maxResults=" + max).send(), 400,
          "invalidParameter");
    }
    for (String json : new String[] {"{\"name\":1" + "0".repeat(400) + "}",
        "{\"name\":1e999999999}", "{\"name\":-0.0}", "{\"species\":18446744073709551616}"}) {
      RawHttp.Response r = insert(json);
      assertThat(r.status()).as(json).isEqualTo(400);
      assertThat(r.reason()).isIn("parseError", "invalidField");
    }
    hostileInputs += 15;
  }

  @Test
  void aGzipBodyCutShortIsAnswered400InsteadOfDroppingTheConnection() throws Exception {
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write("{\"name\":\"Gzipped\"}".getBytes(StandardCharsets.UTF_8));
    }
    byte[] whole = gz.toByteArray();
    for (int cut : new int[] {5, 12, whole.length - 4}) {
      RawHttp.Response r = farm.request("POST", "/farm/v1/animals")
          .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
          .body(java.util.Arrays.copyOf(whole, cut)).send();
      assertError(r, 400, "invalidContentEncoding");
    }
    hostileInputs += 3;
  }

  @Test
  void controlCharactersInMediaTypesAreRefusedAndNeverReflectedIntoAHeader() throws Exception {
    String boundary = "b0undary";
    for (String type : new String[] {"image/png\rX-Injected: 1", "image/png\u0001",
        "image/p\u00e9ng", "image/png\u0000"}) {
      byte[] body = FarmTestClient.multipart(boundary, "\r\n", "{\"name\":\"x\"}",
          new byte[10], type);
      RawHttp.Response r = farm.request("POST", "/upload/farm/v1/animals?uploadType=multipart")
          .header("Content-Type", "multipart/related; boundary=" + boundary).body(body).send();
      assertThat(r.status()).as(type).isEqualTo(400);
      assertThat(r.json().at("/error/code").asInt()).isEqualTo(400);
      assertThat(r.headers().keySet()).noneMatch(h -> h.equalsIgnoreCase("X-Injected"));
    }
    // In a request header, Jetty or the media type check refuses them before anything is kept.
    RawHttp.Response r = farm.request("POST", "/upload/farm/v1/animals?uploadType=resumable")
        .header("X-Upload-Content-Type", "image/png\u0001").send();
    assertThat(r.status()).isEqualTo(400);
    hostileInputs += 5;
  }

  @Test
  void anOversizedRequestLineIsAJson4xx() throws Exception {
    RawHttp.Response r = farm.request("GET", "/farm/v1/animals?pad=" + "p".repeat(64 * 1024))
        .send();

    assertThat(r.status()).isIn(414, 431);
    assertThat(r.json().at("/error/code").asInt()).isEqualTo(r.status());
    hostileInputs += 1;
  }

  private static byte[] chunked(byte[] body) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int at = 0; at < body.length; at += 65536) {
      int n = Math.min(65536, body.length - at);
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, at, n);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
