package dev.farmapi.server.protocol;

import static dev.farmapi.server.testing.ProtocolAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.ProtocolAssert;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JSON methods of farm/v1/animals, and the query parameters every method takes. */
class AnimalsApiTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();

  FarmTestClient farm;

  @BeforeEach
  void newFarm() throws Exception {
    farm = server.clientOfNewFarm();
  }

  private JsonNode insert(String json) throws Exception {
    return FarmTestClient.ok(farm.request("POST", "/farm/v1/animals").json(json).send());
  }

  private String insertNamed(String name) throws Exception {
    return insert("{\"name\":\"" + name + "\"}").get("id").asText();
  }

  @Test
  void insertReturnsAnAnimalThatGetReturnsAgain() throws Exception {
    JsonNode pig = insert("{\"name\":\"Pig\",\"species\":\"Sus domesticus\"}");

    assertThat(pig.get("kind").asText()).isEqualTo("farm#animal");
    assertThat(pig.get("id").asText()).matches("[A-Za-z0-9_-]{1,64}");
    assertThat(pig.get("name").asText()).isEqualTo("Pig");
    assertThat(pig.get("species").asText()).isEqualTo("Sus domesticus");
    assertThat(pig.get("etag").asText()).isNotEmpty();
    assertThat(pig.get("createTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(pig.has("mediaLink")).isFalse();
    assertThat(FarmTestClient.ok(farm.get(pig.get("id").asText()))).isEqualTo(pig);
  }

  @Test
  void listPagingIsStableAcrossInsertsAndDeletes() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(insertNamed("a" + i));
    }

    JsonNode page1 = list("maxResults=2");
    // Between pages: one animal already seen and one not yet seen go away, a new one comes.
    delete(ids.get(0));
    delete(ids.get(3));
    String late = insertNamed("late");
    JsonNode page2 = list("maxResults=2&pageToken=" + page1.get("nextPageToken").asText());
    JsonNode page3 = list("maxResults=2&pageToken=" + page2.get("nextPageToken").asText());

    assertThat(idsOf(page1)).containsExactly(ids.get(0), ids.get(1));
    assertThat(idsOf(page2)).containsExactly(ids.get(2), ids.get(4));
    assertThat(idsOf(page3)).containsExactly(late);
    assertThat(page3.has("nextPageToken")).isFalse();
    assertThat(page1.get("kind").asText()).isEqualTo("farm#animalList");
  }

  @Test
  void listRejectsBadPagingParameters() throws Exception {
    assertError(farm.request("GET", "/farm/v1/animals?maxResults=0").send(), 400,
        "invalidParameter");
    assertError(farm.request("GET", "/farm/v1/animals?maxResults=abc").send(), 400,
        "invalidParameter");
    assertError(farm.request("GET", "/farm/v1/animals?pageToken=bm9wZQ").send(), 400,
        "invalidPageToken");
  }

  @Test
  void patchChangesOnlyTheGivenFieldsAndNullClears() throws Exception {
    JsonNode pig = insert("{\"name\":\"Pig\",\"species\":\"pig\"}");
    String id = pig.get("id").asText();

    JsonNode renamed = FarmTestClient.ok(farm.request("PATCH", "/farm/v1/animals/" + id)
        .json("{\"name\":\"Babe\"}").send());
    JsonNode cleared = FarmTestClient.ok(farm.request("PATCH", "/farm/v1/animals/" + id)
        .json("{\"species\":null}").send());

    assertThat(renamed.get("name").asText()).isEqualTo("Babe");
    assertThat(renamed.get("species").asText()).isEqualTo("pig");
    assertThat(renamed.get("etag").asText()).isNotEqualTo(pig.get("etag").asText());
    assertThat(renamed.get("createTime")).isEqualTo(pig.get("createTime"));
    assertThat(cleared.get("name").asText()).isEqualTo("Babe");
    assertThat(cleared.has("species")).isFalse();
    assertThat(FarmTestClient.ok(farm.get(id))).isEqualTo(cleared);
  }

  @Test
  void updateReplacesTheWholeResource() throws Exception {
    String id = insert("{\"name\":\"Pig\",\"species\":\"pig\"}").get("id").asText();

    JsonNode updated = FarmTestClient.ok(farm.request("PUT", "/farm/v1/animals/" + id)
        .json("{\"name\":\"Hen\"}").send());

    assertThat(updated.get("name").asText()).isEqualTo("Hen");
    assertThat(updated.has("species")).isFalse();
    assertThat(FarmTestClient.ok(farm.get(id))).isEqualTo(updated);
  }

  @Test
  void deleteAnswers204EmptyThenTheAnimalIsGone() throws Exception {
    byte[] media = FarmTestClient.randomBytes(2000, 3);
    JsonNode pig = farm.insertSimple(media, "image/png");
    ProtocolAssert.assertStored(farm, pig, media);
    String id = pig.get("id").asText();
    int blobsBefore = server.blobFiles().size();

    RawHttp.Response deleted = farm.request("DELETE", "/farm/v1/animals/" + id).send();

    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.body()).isEmpty();
    assertError(farm.get(id), 404, "notFound");
    assertError(farm.request("GET", "/farm/v1/animals/" + id + "?alt=media").send(), 404,
        "notFound");
    assertError(farm.request("DELETE", "/farm/v1/animals/" + id).send(), 404, "notFound");
    assertThat(farm.listIds()).doesNotContain(id);
    assertThat(server.blobFiles()).hasSize(blobsBefore - 1); // its media is reclaimed
  }

  @Test
  void fieldsSelectsAPartialResponse() throws Exception {
    String id = insert("{\"name\":\"Pig\",\"species\":\"pig\"}").get("id").asText();
    insertNamed("Cow");

    JsonNode one = FarmTestClient.ok(farm.request("GET", "/farm/v1/animals/" + id
        + "?fields=id,name").send());
    JsonNode page = FarmTestClient.ok(farm.request("GET",
        "/farm/v1/animals?maxResults=1&fields=items(name),nextPageToken").send());
    JsonNode patched = FarmTestClient.ok(farm.request("PATCH", "/farm/v1/animals/" + id
        + "?fields=species").json("{\"species\":\"boar\"}").send());

    assertThat(one.fieldNames()).toIterable().containsExactlyInAnyOrder("id", "name");
    assertThat(one.get("name").asText()).isEqualTo("Pig");
    assertThat(page.fieldNames()).toIterable().containsExactlyInAnyOrder("items",
        "nextPageToken");
    assertThat(page.get("items").get(0).fieldNames()).toIterable().containsExactly("name");
    assertThat(patched.fieldNames()).toIterable().containsExactly("species");
    assertError(farm.request("GET", "/farm/v1/animals/" + id + "?fields=id,(").send(), 400,
        "invalidParameter");
  }

  @Test
  void altJsonIsAcceptedAndUnknownParametersAreIgnored() throws Exception {
    String id = insertNamed("Pig");

    RawHttp.Response withAlt = farm.request("GET", "/farm/v1/animals/" + id + "?alt=json").send();
    RawHttp.Response withUnknown = farm.request("GET", "/farm/v1/animals/" + id
        + "?alt=json&prettyPrint=false&quotaUser=x&whatever").send();
    RawHttp.Response listWithAlt = farm.request("GET", "/farm/v1/animals?alt=json").send();
    RawHttp.Response insertWithAlt = farm.request("POST", "/farm/v1/animals?alt=json&foo=bar")
        .json("{\"name\":\"Cow\"}").send();

    assertThat(FarmTestClient.ok(withAlt).get("id").asText()).isEqualTo(id);
    assertThat(FarmTestClient.ok(withUnknown).get("id").asText()).isEqualTo(id);
    assertThat(FarmTestClient.ok(listWithAlt).get("items")).hasSize(1);
    assertThat(FarmTestClient.ok(insertWithAlt).get("name").asText()).isEqualTo("Cow");
  }

  @Test
  void repeatedQueryParameterIs400AndChangesNothing() throws Exception {
    String id = insertNamed("Pig");

    assertError(farm.request("GET", "/farm/v1/animals/" + id + "?alt=json&alt=json").send(),
        400, "duplicateParameter");
    assertError(farm.request("POST", "/farm/v1/animals?fields=id&fields=name")
        .json("{\"name\":\"Cow\"}").send(), 400, "duplicateParameter");
    assertError(farm.request("POST", "/upload/farm/v1/animals?uploadType=media&uploadType=media")
        .header("Content-Type", "image/png").body(new byte[10]).send(), 400, "duplicateParameter");

    assertThat(farm.listIds()).containsExactly(id);
  }

  @Test
  void unknownAltIs400() throws Exception {
    String id = insertNamed("Pig");

    assertError(farm.request("GET", "/farm/v1/animals/" + id + "?alt=proto").send(), 400,
        "invalidParameter");
  }

  private JsonNode list(String query) throws Exception {
    return FarmTestClient.ok(farm.request("GET", "/farm/v1/animals?" + query).send());
  }

  private void delete(String id) throws Exception {
    assertThat(farm.request("DELETE", "/farm/v1/animals/" + id).send().status()).isEqualTo(204);
  }

  private static List<String> idsOf(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.path("items").forEach(a -> ids.add(a.get("id").asText()));
    return ids;
  }
}
