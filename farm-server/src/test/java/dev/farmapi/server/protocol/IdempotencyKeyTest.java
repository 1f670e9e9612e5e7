package dev.farmapi.server.protocol;

import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code Idempotency-Key} on simple and multipart uploads: a repeat of a request that already
 * made an animal (its 200 lost on the way) gets that animal back and stores nothing new.
 */
class IdempotencyKeyTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();

  static final String SIMPLE = "/upload/farm/v1/animals?uploadType=media";
  static final String BOUNDARY = "idem_boundary_7c1";

  FarmTestClient farm;
  byte[] media = FarmTestClient.randomBytes(300_001, 5);

  @BeforeEach
  void newFarm() throws Exception {
    farm = server.clientOfNewFarm();
  }

  RawHttp.Request simple(String key, byte[] body) {
    return farm.request("POST", SIMPLE).header("Content-Type", "image/png")
        .header("Idempotency-Key", key).body(body);
  }

  RawHttp.Request multipart(String key, String name, byte[] body) {
    return farm.request("POST", "/upload/farm/v1/animals?uploadType=multipart")
        .header("Content-Type", "multipart/related; boundary=" + BOUNDARY)
        .header("Idempotency-Key", key)
        .body(FarmTestClient.multipart(BOUNDARY, "\r\n", "{\"name\":\"" + name + "\"}", body,
            "image/png"));
  }

  @Test
  void repeatOfASimpleUploadWhose200WasLostGetsTheSameAnimalAndNoSecond() throws Exception {
    String key = UUID.randomUUID().toString();
    String test = farm.retryTest("farm.animals.insert", "return-broken-stream-final-chunk-after-10B");

    RawHttp.Received cut = simple(key, media).header("x-retry-test-id", test).sendForBytes();
    JsonNode again = FarmTestClient.ok(simple(key, media).send());

    assertThat(new String(cut.bodyBytes())).as("the first answer was cut").hasSize(10);
    assertStored(farm, again, media);
    assertThat(farm.listIds()).containsExactly(again.get("id").asText());
  }

  @Test
  void repeatOfAMultipartUploadAnswersTheFirstAnimalEvenWithOtherBytes() throws Exception {
    String key = UUID.randomUUID().toString();

    JsonNode first = FarmTestClient.ok(multipart(key, "Pig", media).send());
    JsonNode again = FarmTestClient.ok(multipart(key, "Pig", new byte[] {1, 2, 3}).send());

    assertThat(again.get("id").asText()).isEqualTo(first.get("id").asText());
    assertThat(again.get("name").asText()).isEqualTo("Pig");
    assertStored(farm, again, media);
    assertThat(farm.listIds()).containsExactly(first.get("id").asText());
  }

  @Test
  void differentKeysOrNoKeyMakeDifferentAnimals() throws Exception {
    JsonNode a = FarmTestClient.ok(simple(UUID.randomUUID().toString(), media).send());
    JsonNode b = FarmTestClient.ok(simple(UUID.randomUUID().toString(), media).send());
    JsonNode c = farm.insertSimple(media, "image/png");
    JsonNode d = farm.insertSimple(media, "image/png");

    assertThat(farm.listIds()).containsExactlyInAnyOrder(a.get("id").asText(),
        b.get("id").asText(), c.get("id").asText(), d.get("id").asText());
  }

  @Test
  void theSameKeyInAnotherFarmIsAnotherUpload() throws Exception {
    String key = UUID.randomUUID().toString();
    FarmTestClient other = server.clientOfNewFarm();

    JsonNode mine = FarmTestClient.ok(simple(key, media).send());
    JsonNode theirs = FarmTestClient.ok(other.request("POST", SIMPLE)
        .header("Content-Type", "image/png").header("Idempotency-Key", key).body(media).send());

    assertThat(theirs.get("id").asText()).isNotEqualTo(mine.get("id").asText());
    assertThat(other.listIds()).containsExactly(theirs.get("id").asText());
    assertStored(other, theirs, media);
  }

  @Test
  void concurrentRepeatsOfOneKeyMakeOneAnimal() throws Exception {
    String key = UUID.randomUUID().toString();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<JsonNode>> answers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        answers.add(pool.submit(() -> FarmTestClient.ok(simple(key, media).send())));
      }
      String id = answers.get(0).get().get("id").asText();
      for (Future<JsonNode> answer : answers) {
        assertThat(answer.get().get("id").asText()).isEqualTo(id);
      }
      assertThat(farm.listIds()).containsExactly(id);
      assertStored(farm, answers.get(3).get(), media);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aKeyLongerThan255CharactersIsRefused() throws Exception {
    RawHttp.Response r = simple("k".repeat(256), media).send();

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.text()).contains("invalidIdempotencyKey");
    assertThat(farm.listIds()).isEmpty();
  }
}
