package dev.farmapi.server.protocol;

import static dev.farmapi.server.protocol.ResumableUploadTest.K256;
import static dev.farmapi.server.protocol.ResumableUploadTest.slice;
import static dev.farmapi.server.testing.ProtocolAssert.assertError;
import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.InProcessOnly;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.SharedCluster;
import dev.farmapi.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Each retry-test instruction, by its effect on the wire and on what the server stored. */
@InProcessOnly(SharedCluster.RETRY_TESTS)
class FaultInjectionTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();

  FarmTestClient farm;

  @BeforeEach
  void newFarm() throws Exception {
    farm = server.clientOfNewFarm();
  }

  static String retryTest(FarmTestClient client, String method, String... instructions)
      throws Exception {
    String list = String.join("\",\"", instructions);
    JsonNode test = FarmTestClient.ok(client.anonymous("POST", "/retry_test")
        .json("{\"instructions\":{\"" + method + "\":[\"" + list + "\"]}}").send());
    assertThat(test.get("completed").asBoolean()).isFalse();
    return test.get("id").asText();
  }

  private boolean completed(String id) throws Exception {
    return FarmTestClient.ok(farm.anonymous("GET", "/retry_test/" + id).send())
        .get("completed").asBoolean();
  }

  private String initiate(String retryTestId, long total) throws Exception {
    RawHttp.Response r = farm.request("POST", "/upload/farm/v1/animals?uploadType=resumable")
        .header("X-Upload-Content-Type", "image/png")
        .header("X-Upload-Content-Length", Long.toString(total))
        .header("x-retry-test-id", retryTestId).send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return FarmTestClient.target(r.header("Location"));
  }

  private String range(String session, long total) throws Exception {
    RawHttp.Response r = farm.query(session, total);
    assertThat(r.status()).as("%s", r).isEqualTo(308);
    return r.header("Range");
  }

  @Test
  void retryTestsAreCreatedReadAndDeleted() throws Exception {
    JsonNode made = FarmTestClient.ok(farm.anonymous("POST", "/retry_test").json(
        "{\"instructions\":{\"farm.animals.insert\":[\"return-503\",\"return-reset-connection\"]}}")
        .send());
    String id = made.get("id").asText();

    JsonNode read = FarmTestClient.ok(farm.anonymous("GET", "/retry_test/" + id).send());
    RawHttp.Response deleted = farm.anonymous("DELETE", "/retry_test/" + id).send();

    assertThat(made.at("/instructions/farm.animals.insert/1").asText())
        .isEqualTo("return-reset-connection");
    assertThat(made.get("completed").asBoolean()).isFalse();
    assertThat(read).isEqualTo(made);
    assertThat(deleted.status()).isEqualTo(200);
    assertError(farm.anonymous("GET", "/retry_test/" + id).send(), 404, "notFound");
    assertError(farm.anonymous("POST", "/retry_test").json(
        "{\"instructions\":{\"farm.animals.insert\":[\"return-teapot\"]}}").send(), 400,
        "invalidInstruction");
    assertError(farm.anonymous("POST", "/retry_test").json("{\"instructions\":[]}").send(), 400,
        "invalidInstruction");
  }

  @Test
  void return503FailsBeforeAnythingIsStoredAndIsThenCompleted() throws Exception {
    byte[] media = FarmTestClient.randomBytes(2 * K256, 131);
    String session = farm.initiate(null, "image/png", media.length);
    String test = retryTest(farm, "farm.animals.insert", "return-503");
    long onDisk = server.blobBytes();

    RawHttp.Response failed = farm.anonymous("PUT", session)
        .header("Content-Range", "bytes 0-262143/" + media.length)
        .header("x-retry-test-id", test).body(slice(media, 0, K256)).send();

    assertError(failed, 503, "injectedFault");
    assertThat(completed(test)).isTrue();
    assertThat(server.blobBytes()).isEqualTo(onDisk);
    assertThat(range(session, media.length)).isNull();
    farm.putChunk(session, 0, slice(media, 0, K256), media.length);
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, K256,
        slice(media, K256, media.length), media.length)), media);
  }

  @Test
  void return503After256KKeepsExactly256KOfTheChunk() throws Exception {
    byte[] media = FarmTestClient.randomBytes(3 * K256, 132);
    String test = retryTest(farm, "farm.animals.insert", "return-503-after-256K");
    String session = initiate(test, media.length); // chunks of the session count as insert

    RawHttp.Response failed = farm.putChunk(session, 0, slice(media, 0, 2 * K256), media.length);

    assertError(failed, 503, "injectedFault");
    assertThat(completed(test)).isTrue();
    assertThat(range(session, media.length)).isEqualTo("bytes=0-262143");
    farm.putChunk(session, K256, slice(media, K256, 2 * K256), media.length);
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, 2 * K256,
        slice(media, 2 * K256, media.length), media.length)), media);
  }

  /** Regression: a fault past the chunk's end was consumed and did nothing (a 308). */
  @Test
  void return503AfterMoreThanTheChunkKeepsTheWholeChunkThenAnswers503() throws Exception {
    byte[] media = FarmTestClient.randomBytes(3 * K256, 134);
    String test = retryTest(farm, "farm.animals.insert", "return-503-after-300K");
    String session = initiate(test, media.length);

    RawHttp.Response failed = farm.putChunk(session, 0, slice(media, 0, K256), media.length);

    assertError(failed, 503, "injectedFault");
    assertThat(completed(test)).isTrue();
    assertThat(range(session, media.length)).isEqualTo("bytes=0-262143");
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, K256,
        slice(media, K256, media.length), media.length)), media);
  }

  /** Regression: the same on a simple upload shorter than N KiB: the fault fires at its end. */
  @Test
  void return503AfterMoreThanASimpleBodyAnswers503AndStoresNothing() throws Exception {
    String test = retryTest(farm, "farm.animals.insert", "return-503-after-100K");
    long onDisk = server.blobBytes();

    RawHttp.Response r = farm.request("POST", "/upload/farm/v1/animals?uploadType=media")
        .header("Content-Type", "image/png").header("x-retry-test-id", test)
        .body(new byte[50_000]).send();

    assertError(r, 503, "injectedFault");
    assertThat(completed(test)).isTrue();
    assertThat(farm.listIds()).isEmpty();
    assertThat(server.blobBytes()).isEqualTo(onDisk);
  }

  @Test
  void returnAfterOnASimpleUploadStoresNothing() throws Exception {
    String test = retryTest(farm, "farm.animals.insert", "return-503-after-1K");
    long onDisk = server.blobBytes();

    RawHttp.Response r = farm.request("POST", "/upload/farm/v1/animals?uploadType=media")
        .header("Content-Type", "image/png").header("x-retry-test-id", test)
        .body(new byte[50_000]).send();

    assertError(r, 503, "injectedFault");
    assertThat(farm.listIds()).isEmpty();
    assertThat(server.blobBytes()).isEqualTo(onDisk);
  }

  @Test
  void resetConnectionAnswersNothingAndStoresNothing() throws Exception {
    byte[] media = FarmTestClient.randomBytes(2 * K256, 133);
    String session = farm.initiate(null, "image/png", media.length);
    String test = retryTest(farm, "farm.animals.insert", "return-reset-connection");

    RawHttp.Received received = farm.anonymous("PUT", session)
        .header("Content-Range", "bytes 0-262143/" + media.length)
        .header("x-retry-test-id", test).body(slice(media, 0, K256)).sendForBytes();

    assertThat(received.bytes()).as("no response at all").isEmpty();
    assertThat(completed(test)).isTrue();
    assertThat(range(session, media.length)).isNull();
    farm.putChunk(session, 0, slice(media, 0, K256), media.length);
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, K256,
        slice(media, K256, media.length), media.length)), media);
  }

  @Test
  void brokenFinalChunkWaitsForTheFinalChunkCutsThe200ButTheUploadCompleted()
      throws Exception {
    byte[] media = FarmTestClient.randomBytes(K256 + 5000, 134);
    String test = retryTest(farm, "farm.animals.insert",
        "return-broken-stream-final-chunk-after-10B");
    String session = initiate(test, media.length);

    RawHttp.Response notFinal = farm.putChunk(session, 0, slice(media, 0, K256), media.length);
    assertThat(notFinal.status()).isEqualTo(308);
    assertThat(completed(test)).as("a final-chunk fault waits for a final chunk").isFalse();
    RawHttp.Received cut = farm.anonymous("PUT", session)
        .header("Content-Range", "bytes 262144-" + (media.length - 1) + "/" + media.length)
        .body(slice(media, K256, media.length)).sendForBytes();

    assertThat(cut.head()).startsWith("HTTP/1.1 200");
    assertThat(cut.bodyBytes()).hasSize(10);
    long declared = Long.parseLong(cut.head().replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
    assertThat(declared).isGreaterThan(10);
    assertThat(completed(test)).isTrue();
    JsonNode animal = FarmTestClient.ok(farm.query(session, media.length));
    assertThat(new String(cut.bodyBytes(), StandardCharsets.UTF_8))
        .isEqualTo(animal.toString().substring(0, 10));
    assertStored(farm, animal, media);
    assertThat(farm.listIds()).containsExactly(animal.get("id").asText());
  }

  @Test
  void stallPausesTheChunkAndThenItIsStoredWhole() throws Exception {
    byte[] media = FarmTestClient.randomBytes(3 * K256, 135);
    String test = retryTest(farm, "farm.animals.insert", "stall-for-1s-after-256K");
    String session = initiate(test, media.length);

    long start = System.nanoTime();
    RawHttp.Response stalled = farm.putChunk(session, 0, slice(media, 0, 2 * K256),
        media.length);
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(stalled.status()).isEqualTo(308);
    assertThat(stalled.header("Range")).isEqualTo("bytes=0-524287");
    assertThat(tookMillis).isGreaterThanOrEqualTo(1000);
    assertThat(completed(test)).isTrue();
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, 2 * K256,
        slice(media, 2 * K256, media.length), media.length)), media);
  }

  @Test
  void downloadsCountAsGet() throws Exception {
    byte[] media = FarmTestClient.randomBytes(10_000, 136);
    JsonNode animal = farm.insertSimple(media, "image/png");
    String test = retryTest(farm, "farm.animals.get", "return-503",
        "return-broken-stream-after-1K");
    String target = "/farm/v1/animals/" + animal.get("id").asText() + "?alt=media";

    RawHttp.Response failed = farm.request("GET", target).header("x-retry-test-id", test).send();
    RawHttp.Received broken = farm.request("GET", target).header("x-retry-test-id", test)
        .sendForBytes();
    RawHttp.Response whole = farm.request("GET", target).header("x-retry-test-id", test).send();

    assertError(failed, 503, "injectedFault");
    assertThat(broken.head()).startsWith("HTTP/1.1 200");
    assertThat(broken.bodyBytes()).hasSize(1024)
        .isEqualTo(java.util.Arrays.copyOf(media, 1024));
    assertThat(whole.status()).isEqualTo(200);
    assertThat(completed(test)).isTrue();
    assertStored(farm, animal, media);
  }

  @Test
  void theInitiatingPostCountsAsInsert() throws Exception {
    String test = retryTest(farm, "farm.animals.insert", "return-503");

    RawHttp.Response r = farm.request("POST", "/upload/farm/v1/animals?uploadType=resumable")
        .header("X-Upload-Content-Type", "image/png").header("x-retry-test-id", test).send();

    assertError(r, 503, "injectedFault");
    assertThat(r.header("Location")).isNull();
    assertThat(completed(test)).isTrue();
  }

  @Test
  void chunksOfAnUpdateSessionCountAsUpdate() throws Exception {
    byte[] old = FarmTestClient.randomBytes(1000, 139);
    byte[] media = FarmTestClient.randomBytes(2 * K256, 140);
    String id = farm.insertSimple(old, "image/png").get("id").asText();
    String test = retryTest(farm, "farm.animals.update", "return-503-after-256K");
    RawHttp.Response initiated = farm.request("PUT",
            "/upload/farm/v1/animals/" + id + "?uploadType=resumable")
        .header("X-Upload-Content-Type", "image/png")
        .header("X-Upload-Content-Length", Integer.toString(media.length))
        .header("x-retry-test-id", test).send();
    String session = FarmTestClient.target(initiated.header("Location"));

    RawHttp.Response failed = farm.putChunk(session, 0, media, media.length);

    assertError(failed, 503, "injectedFault");
    assertThat(completed(test)).isTrue();
    assertThat(range(session, media.length)).isEqualTo("bytes=0-262143");
    assertStored(farm, FarmTestClient.ok(farm.get(id)), old);
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, K256,
        slice(media, K256, media.length), media.length)), media);
  }

  @Test
  void aStalledDownloadPausesThenDeliversEverything() throws Exception {
    byte[] media = FarmTestClient.randomBytes(300_000, 141);
    JsonNode animal = farm.insertSimple(media, "image/png");
    String test = retryTest(farm, "farm.animals.get", "stall-for-1s-after-100K");

    long start = System.nanoTime();
    RawHttp.Response r = farm.request("GET", "/farm/v1/animals/" + animal.get("id").asText()
        + "?alt=media").header("x-retry-test-id", test).send();
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(r.status()).isEqualTo(200);
    assertThat(FarmTestClient.sha256(r.body())).isEqualTo(FarmTestClient.sha256(media));
    assertThat(tookMillis).isGreaterThanOrEqualTo(1000);
    assertThat(completed(test)).isTrue();
    assertStored(farm, animal, media);
  }

  @Test
  void faultsInALargeDownloadHappenExactlyWhereAsked() throws Exception {
    // Large enough to be sent as mapped regions of its file (after its first 4 MiB, 4 MiB each):
    // the faults fall inside the first mapped region.
    byte[] media = FarmTestClient.randomBytes(6 << 20, 142);
    JsonNode animal = farm.insertSimple(media, "image/png");
    String test = retryTest(farm, "farm.animals.get", "stall-for-1s-after-4100K",
        "return-broken-stream-after-4500K");
    String target = "/farm/v1/animals/" + animal.get("id").asText() + "?alt=media";

    long start = System.nanoTime();
    RawHttp.Response stalled = farm.request("GET", target).header("x-retry-test-id", test).send();
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    RawHttp.Received broken = farm.request("GET", target).header("x-retry-test-id", test)
        .sendForBytes();

    assertThat(stalled.status()).isEqualTo(200);
    assertThat(FarmTestClient.sha256(stalled.body())).isEqualTo(FarmTestClient.sha256(media));
    assertThat(tookMillis).isGreaterThanOrEqualTo(1000);
    assertThat(broken.head()).startsWith("HTTP/1.1 200");
    assertThat(FarmTestClient.sha256(broken.bodyBytes()))
        .isEqualTo(FarmTestClient.sha256(java.util.Arrays.copyOf(media, 4500 * 1024)));
    assertThat(completed(test)).isTrue();
  }

  @Test
  void faultsOfOneMethodLeaveTheOthersAlone() throws Exception {
    byte[] media = FarmTestClient.randomBytes(3000, 137);
    String test = retryTest(farm, "farm.animals.update", "return-503");

    JsonNode animal = FarmTestClient.ok(farm.request("POST",
            "/upload/farm/v1/animals?uploadType=media")
        .header("Content-Type", "image/png").header("x-retry-test-id", test).body(media).send());

    assertThat(completed(test)).isFalse();
    assertStored(farm, animal, media);
  }

  @Test
  void withoutFaultInjectionThereIsNoRetryTestApi(@TempDir Path other) throws Exception {
    try (TestServer plain = TestServer.start(other, b -> b.faultInjection(false))) {
      FarmTestClient client = plain.client();

      assertError(client.anonymous("POST", "/retry_test").json(
          "{\"instructions\":{\"farm.animals.insert\":[\"return-503\"]}}").send(), 404,
          "notFound");
      assertError(client.anonymous("GET", "/retry_test/abc").send(), 404, "notFound");
      byte[] media = FarmTestClient.randomBytes(100, 138);
      JsonNode animal = FarmTestClient.ok(client.request("POST",
              "/upload/farm/v1/animals?uploadType=media")
          .header("Content-Type", "image/png").header("x-retry-test-id", "abc").body(media)
          .send());
      assertStored(client, animal, media);
    }
  }
}
