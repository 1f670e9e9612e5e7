package dev.farmapi.server.protocol;

import static dev.farmapi.server.testing.ProtocolAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.ProtocolAssert;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.ReliabilityReport;
import dev.farmapi.server.testing.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** API keys, and the wall between farms: another farm's things are absent (404), never 403. */
class AuthAndIsolationTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();

  FarmTestClient alice;
  FarmTestClient bob;

  @BeforeEach
  void farms() throws Exception {
    alice = server.clientOfNewFarm();
    bob = server.clientOfNewFarm();
  }

  @Test
  void requestWithoutKeyIs401JsonWithWwwAuthenticate() throws Exception {
    RawHttp.Response r = alice.anonymous("GET", "/farm/v1/animals").send();

    assertError(r, 401, "unauthorized");
    assertThat(r.json().at("/error/status").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
  }

  @Test
  void uploadWithoutKeyIs401AndStoresNothing() throws Exception {
    RawHttp.Response r = alice.anonymous("POST", "/upload/farm/v1/animals?uploadType=media")
        .header("Content-Type", "image/png").body(new byte[100]).send();

    assertError(r, 401, "unauthorized");
    assertThat(alice.listIds()).isEmpty();
  }

  @Test
  void unknownKeyIs401() throws Exception {
    assertError(alice.withKey("farm_not-a-key").request("GET", "/farm/v1/animals").send(),
        401, "unauthorized");
    assertError(alice.anonymous("GET", "/farm/v1/animals?key=farm_nope").send(),
        401, "unauthorized");
    assertError(alice.anonymous("GET", "/farm/v1/animals")
        .header("Authorization", "Basic dXNlcjpwYXNz").send(), 401, "unauthorized");
  }

  @Test
  void keyWorksAsBearerHeaderAndAsQueryParameter() throws Exception {
    String key = server.adminKey();
    JsonNode made = FarmTestClient.ok(alice.anonymous("POST", "/farm/v1/animals?key=" + key)
        .json("{\"name\":\"Pig\"}").send());

    RawHttp.Response byHeader = alice.anonymous("GET", "/farm/v1/animals/" + made.get("id").asText())
        .bearer(key).send();

    assertThat(byHeader.status()).isEqualTo(200);
    assertThat(byHeader.json().get("name").asText()).isEqualTo("Pig");
  }

  @Test
  void twoDifferentKeysInOneRequestAre400() throws Exception {
    RawHttp.Response r = alice.request("GET", "/farm/v1/animals?key=" + server.adminKey()).send();

    assertError(r, 400, "conflictingKeys");
  }

  @Test
  void discoveryHealthzAndMetricsNeedNoKey() throws Exception {
    for (String path : new String[] {"/discovery/v1/apis/farm/v1/rest", "/healthz", "/metrics"}) {
      assertThat(alice.anonymous("GET", path).send().status()).as(path).isEqualTo(200);
    }
  }

  @Test
  void anotherFarmsAnimalIs404ForEveryMethodAndStaysUntouched() throws Exception {
    byte[] media = FarmTestClient.randomBytes(5000, 11);
    JsonNode pig = alice.insertSimple(media, "image/png");
    String id = pig.get("id").asText();

    assertError(bob.get(id), 404, "notFound");
    assertError(bob.request("GET", "/farm/v1/animals/" + id + "?alt=media").send(), 404, "notFound");
    assertError(bob.request("PATCH", "/farm/v1/animals/" + id).json("{\"name\":\"x\"}").send(),
        404, "notFound");
    assertError(bob.request("PUT", "/farm/v1/animals/" + id).json("{\"name\":\"x\"}").send(),
        404, "notFound");
    assertError(bob.request("DELETE", "/farm/v1/animals/" + id).send(), 404, "notFound");
    assertError(bob.request("PUT", "/upload/farm/v1/animals/" + id + "?uploadType=media")
        .header("Content-Type", "image/png").body(new byte[10]).send(), 404, "notFound");
    assertError(bob.request("PUT", "/upload/farm/v1/animals/" + id + "?uploadType=resumable")
        .header("X-Upload-Content-Type", "image/png").send(), 404, "notFound");

    assertThat(bob.listIds()).isEmpty();
    JsonNode after = FarmTestClient.ok(alice.get(id));
    assertThat(after.get("etag").asText()).isEqualTo(pig.get("etag").asText());
    ProtocolAssert.assertStored(alice, after, media);
  }

  @Test
  void anotherFarmsUploadIdIs404AndTheSessionSurvivesForItsOwner() throws Exception {
    byte[] media = FarmTestClient.randomBytes(300_000, 12);
    String session = alice.initiate("{\"name\":\"Cow\"}", "image/png", media.length);
    RawHttp.Response first = alice.putChunk(session, 0, java.util.Arrays.copyOf(media, 262144),
        media.length);
    assertThat(first.status()).isEqualTo(308);

    RawHttp.Response chunk = bob.request("PUT", session)
        .header("Content-Range", "bytes 262144-299999/300000")
        .body(java.util.Arrays.copyOfRange(media, 262144, media.length)).send();
    RawHttp.Response query = bob.request("PUT", session)
        .header("Content-Range", "bytes */300000").body(new byte[0]).send();
    RawHttp.Response cancel = bob.request("DELETE", session).send();

    assertError(chunk, 404, "notFound");
    assertError(query, 404, "notFound");
    assertError(cancel, 404, "notFound");
    RawHttp.Response status = alice.query(session, media.length);
    assertThat(status.status()).isEqualTo(308);
    assertThat(status.header("Range")).isEqualTo("bytes=0-262143");
    // The owner's key works on its own session as well as no key at all.
    JsonNode cow = FarmTestClient.ok(alice.request("PUT", session)
        .header("Content-Range", "bytes 262144-299999/300000")
        .body(java.util.Arrays.copyOfRange(media, 262144, media.length)).send());
    ProtocolAssert.assertStored(alice, cow, media);
    assertThat(bob.listIds()).isEmpty();
  }

  /**
   * Another farm's animal and session answer every method exactly as an id that was never
   * issued: same status, same JSON, only the id in the message differs. A difference of any
   * kind would tell a stranger that the id exists.
   */
  @Test
  void anotherFarmsIdsAnswerExactlyLikeIdsThatNeverExisted() throws Exception {
    byte[] media = FarmTestClient.randomBytes(3000, 13);
    String animal = alice.insertSimple(media, "image/png").get("id").asText();
    String unknownAnimal = UploadIdGuessingTest.randomId(new java.util.Random(14), 16);
    String session = alice.initiate("{\"name\":\"Hen\"}", "image/png", media.length);
    String sessionId = session.replaceAll(".*upload_id=([^&]*).*", "$1");
    String unknownSession = UploadIdGuessingTest.randomId(new java.util.Random(15), 32);

    int compared = 0;
    for (String[] m : animalMethods()) {
      compared += sameAnswer(m, "/farm/v1/animals/", animal, unknownAnimal);
    }
    compared += sameAnswer(new String[] {"PUT", "?uploadType=media"}, "/upload/farm/v1/animals/",
        animal, unknownAnimal);
    compared += sameAnswer(new String[] {"PUT", "?uploadType=resumable"},
        "/upload/farm/v1/animals/", animal, unknownAnimal);
    String sessions = "/upload/farm/v1/animals?uploadType=resumable&upload_id=";
    for (String[] m : new String[][] {{"PUT", "", "bytes 0-2999/3000"}, {"PUT", "", "bytes */3000"},
        {"PUT", "", "bytes */*"}, {"DELETE", ""}}) {
      compared += sameAnswer(m, sessions, sessionId, unknownSession);
    }

    // Nothing of Alice's moved: the animal is as it was, the session still takes its bytes.
    ProtocolAssert.assertStored(alice, FarmTestClient.ok(alice.get(animal)), media);
    JsonNode hen = FarmTestClient.ok(alice.putChunk(session, 0, media, media.length));
    ProtocolAssert.assertStored(alice, hen, media);
    assertThat(bob.listIds()).isEmpty();
    ReliabilityReport report = new ReliabilityReport("AuthAndIsolationTest");
    report.add("otherFarmRequestsAnsweredLikeAnUnknownId", compared);
    report.write();
  }

  private static String[][] animalMethods() {
    return new String[][] {{"GET", ""}, {"GET", "?alt=media"}, {"PATCH", "", "{\"name\":\"x\"}"},
        {"PUT", "", "{\"name\":\"x\"}"}, {"DELETE", ""}};
  }

  /** Bob sends {@code method} to Alice's id and to an unknown one; both answers must match. */
  private int sameAnswer(String[] method, String prefix, String aliceId, String unknownId)
      throws Exception {
    RawHttp.Response theirs = bobSends(method, prefix, aliceId);
    RawHttp.Response unknown = bobSends(method, prefix, unknownId);
    assertError(theirs, 404, "notFound");
    assertThat(theirs.text().replace(aliceId, "<id>")).as("%s %s", method[0], prefix)
        .isEqualTo(unknown.text().replace(unknownId, "<id>"));
    assertThat(theirs.header("Content-Type")).isEqualTo(unknown.header("Content-Type"));
    return 1;
  }

  private RawHttp.Response bobSends(String[] method, String prefix, String id) throws Exception {
    String target = prefix + id + method[1];
    RawHttp.Request r = bob.request(method[0], target);
    if (prefix.startsWith("/upload/farm/v1/animals?")) {
      if (method.length > 2) { // a chunk or a status query; else a cancel
        r.header("Content-Range", method[2])
            .body(method[2].startsWith("bytes 0-") ? new byte[3000] : new byte[0]);
      }
    } else if (method[1].equals("?uploadType=media")) {
      r.header("Content-Type", "image/png").body(new byte[10]);
    } else if (method[1].equals("?uploadType=resumable")) {
      r.header("X-Upload-Content-Type", "image/png");
    } else if (method.length > 2) {
      r.json(method[2]);
    }
    return r.send();
  }

  @Test
  void uploadIdsAreLongRandomCapabilities() throws Exception {
    String a = alice.initiate(null, "image/png", 10);
    String b = alice.initiate(null, "image/png", 10);

    String idA = a.replaceAll(".*upload_id=([^&]*).*", "$1");
    String idB = b.replaceAll(".*upload_id=([^&]*).*", "$1");
    // 128 random bits at least: 22 or more base64 characters.
    assertThat(idA).hasSizeGreaterThanOrEqualTo(22).isNotEqualTo(idB);
    assertThat(idA).matches("[A-Za-z0-9_-]+");
  }

  @Test
  void listShowsOnlyTheCallersFarm() throws Exception {
    String a = FarmTestClient.ok(alice.request("POST", "/farm/v1/animals")
        .json("{\"name\":\"a\"}").send()).get("id").asText();
    String b = FarmTestClient.ok(bob.request("POST", "/farm/v1/animals")
        .json("{\"name\":\"b\"}").send()).get("id").asText();

    assertThat(alice.listIds()).containsExactly(a);
    assertThat(bob.listIds()).containsExactly(b);
  }
}
