package dev.farmapi.server.protocol;

import static dev.farmapi.server.protocol.ResumableUploadTest.K256;
import static dev.farmapi.server.protocol.ResumableUploadTest.slice;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.InProcessOnly;
import dev.farmapi.server.testing.ProtocolAssert;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answers the server gives without needing the body (a gap, bytes already held, a completed
 * upload, a 400 or 404) must reach clients that write their whole body before they read, as
 * most do: the server answers, then reads and drops the rest, then closes cleanly.
 */
@InProcessOnly("a server of its own with a 60 s body timeout")
class UnreadBodyTest {
  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    // A long body timeout: no test here may wait for it.
    server = TestServer.start(dir, b -> b.bodyTimeout(java.time.Duration.ofSeconds(60)));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void aWholeUploadWithGapsOverlapsAndErrorsOverOneReusedClient() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    byte[] media = FarmTestClient.randomBytes(4 * K256 + 99, 171);
    URI root = server.uri();
    HttpResponse<String> initiated = http.send(HttpRequest.newBuilder(
            root.resolve("upload/farm/v1/animals?uploadType=resumable"))
        .header("Authorization", "Bearer " + server.adminKey())
        .header("X-Upload-Content-Type", "image/png")
        .header("X-Upload-Content-Length", Integer.toString(media.length))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Reused\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    URI session = URI.create(initiated.headers().firstValue("Location").orElseThrow());

    assertThat(put(http, session, 0, slice(media, 0, K256), media.length).statusCode())
        .isEqualTo(308);
    HttpResponse<String> gap = put(http, session, 2 * K256, slice(media, 2 * K256, 3 * K256),
        media.length);
    HttpResponse<String> badSize = put(http, session, K256, slice(media, K256, K256 + 1000),
        media.length);
    HttpResponse<String> overlap = put(http, session, 0, slice(media, 0, 2 * K256),
        media.length);
    HttpResponse<String> held = put(http, session, 0, slice(media, 0, K256), media.length);
    HttpResponse<String> rest = put(http, session, 2 * K256, slice(media, 2 * K256, 4 * K256),
        media.length);
    HttpResponse<String> last = put(http, session, 4 * K256, slice(media, 4 * K256,
        media.length), media.length);

    assertThat(gap.statusCode()).isEqualTo(308);
    assertThat(gap.headers().firstValue("Range")).contains("bytes=0-262143");
    assertThat(badSize.statusCode()).isEqualTo(400);
    assertThat(badSize.body()).contains("invalidChunkSize");
    assertThat(overlap.headers().firstValue("Range")).contains("bytes=0-524287");
    assertThat(held.headers().firstValue("Range")).contains("bytes=0-524287");
    assertThat(rest.headers().firstValue("Range")).contains("bytes=0-1048575");
    assertThat(last.statusCode()).isEqualTo(200);
    JsonNode animal = new ObjectMapper().readTree(last.body());
    assertThat(animal.get("name").asText()).isEqualTo("Reused");
    ProtocolAssert.assertStored(server.client(), animal, media);
  }

  private static RawHttp.Request chunk(String session, long first, byte[] bytes, long total) {
    return server.client().anonymous("PUT", session)
        .header("Content-Range", "bytes " + first + "-" + (first + bytes.length - 1) + "/" + total)
        .body(bytes);
  }

  private static void assertAnsweredAndClosedCleanly(RawHttp.EarlyAnswer answer, int status) {
    assertThat(answer.response().status()).as("%s", answer.response()).isEqualTo(status);
    assertThat(answer.afterwards()).as("after the answer, the rest of the body went out and"
        + " the connection ended cleanly").isNull();
  }

  @Test
  void chunksAnsweredWithoutTheirBodyLetTheClientFinishSending() throws Exception {
    FarmTestClient farm = server.clientOfNewFarm();
    byte[] media = FarmTestClient.randomBytes(3 * K256 + 10, 172);
    String session = farm.initiate(null, "image/png", media.length);
    farm.putChunk(session, 0, slice(media, 0, K256), media.length);
    int part = 64 * 1024;

    RawHttp.EarlyAnswer held = chunk(session, 0, slice(media, 0, K256), media.length)
        .sendExpectingEarlyAnswer(part);
    RawHttp.EarlyAnswer gap = chunk(session, 2 * K256, slice(media, 2 * K256, 3 * K256),
        media.length).sendExpectingEarlyAnswer(part);
    RawHttp.EarlyAnswer badSize = chunk(session, K256, slice(media, K256, K256 + 100_000),
        media.length).sendExpectingEarlyAnswer(part);
    RawHttp.EarlyAnswer unknown = chunk("/upload/farm/v1/animals?uploadType=resumable"
        + "&upload_id=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 0, slice(media, 0, K256), media.length)
        .sendExpectingEarlyAnswer(part);

    assertAnsweredAndClosedCleanly(held, 308);
    assertThat(held.response().header("Range")).isEqualTo("bytes=0-262143");
    assertAnsweredAndClosedCleanly(gap, 308);
    assertThat(gap.response().header("Range")).isEqualTo("bytes=0-262143");
    assertAnsweredAndClosedCleanly(badSize, 400);
    assertThat(badSize.response().reason()).isEqualTo("invalidChunkSize");
    assertAnsweredAndClosedCleanly(unknown, 404);
    assertThat(unknown.response().reason()).isEqualTo("notFound");
    farm.putChunk(session, K256, slice(media, K256, 2 * K256), media.length);
    JsonNode animal = FarmTestClient.ok(farm.putChunk(session, 2 * K256,
        slice(media, 2 * K256, media.length), media.length));
    // The client lost the 200 and resends the final chunk: the 200 must reach it this time.
    RawHttp.EarlyAnswer again = chunk(session, 2 * K256, slice(media, 2 * K256, media.length),
        media.length).sendExpectingEarlyAnswer(100);
    assertAnsweredAndClosedCleanly(again, 200);
    assertThat(again.response().json().get("id")).isEqualTo(animal.get("id"));
    ProtocolAssert.assertStored(farm, animal, media);
  }

  @Test
  void aResendWithoutAnyBodyIsAnsweredWithoutWaitingForIt() throws Exception {
    // google-api-python-client's retry: Content-Length again, and no body at all. When the
    // server holds those bytes already, its 308 must come at once, not after the body timeout.
    FarmTestClient farm = server.clientOfNewFarm();
    byte[] media = FarmTestClient.randomBytes(2 * K256, 173);
    String session = farm.initiate(null, "image/png", media.length);
    farm.putChunk(session, 0, slice(media, 0, K256), media.length);

    long start = System.nanoTime();
    RawHttp.Response r = farm.anonymous("PUT", session)
        .header("Content-Range", "bytes 0-262143/" + media.length)
        .header("Content-Length", Integer.toString(K256)).body(new byte[0]).sendForAnswer();
    long seconds = (System.nanoTime() - start) / 1_000_000_000;

    assertThat(r.status()).isEqualTo(308);
    assertThat(r.header("Range")).isEqualTo("bytes=0-262143");
    assertThat(seconds).as("answered before the 60 s body timeout").isLessThan(30);
    ProtocolAssert.assertStored(farm, FarmTestClient.ok(farm.putChunk(session, K256,
        slice(media, K256, media.length), media.length)), media);
  }

  private static HttpResponse<String> put(HttpClient http, URI session, long first,
      byte[] chunk, long total) throws Exception {
    return http.send(HttpRequest.newBuilder(session)
        .header("Content-Range", "bytes " + first + "-" + (first + chunk.length - 1) + "/" + total)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(chunk)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

}
