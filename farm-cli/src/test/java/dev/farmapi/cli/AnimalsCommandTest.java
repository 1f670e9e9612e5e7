package dev.farmapi.cli;

import static dev.farmapi.server.testing.FarmTestClient.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farmapi.farm.Animal;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.TestServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code farm animals list|get|patch|delete} against a real server, each test on its own farm. */
class AnimalsCommandTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestFarm farm;

  @BeforeEach
  void newFarm() throws Exception {
    farm = TestFarm.create(server);
  }

  @Test
  void listPrintsATableOfEveryAnimalOldestFirst() throws Exception {
    Animal pig = farm.insert("Pig", "pig", randomBytes(3 * 1024 * 1024, 1), "image/png");
    Animal hen = farm.insert("Hen", null, null, null);
    Animal cow = farm.insert("Cow", "bos taurus", randomBytes(1000, 2), "image/jpeg");

    CliRun list = farm.run("animals", "list");

    assertThat(list.exit()).as("%s", list).isZero();
    assertThat(list.outLines()).containsExactly(
        "ID                NAME  SPECIES     SIZE     TYPE",
        pig.id() + "  Pig   pig         3.0 MiB  image/png",
        hen.id() + "  Hen   -           -        -",
        cow.id() + "  Cow   bos taurus  1000 B   image/jpeg");
    assertThat(list.errLines()).isEmpty();
  }

  @Test
  void listJsonIsTheServersAnimalsAsAnArray() throws Exception {
    farm.insert("Pig", "pig", randomBytes(2000, 1), "image/png");
    farm.insert("Hen", null, null, null);

    CliRun list = farm.run("animals", "list", "--json");

    assertThat(list.exit()).as("%s", list).isZero();
    JsonNode printed = JSON.readTree(list.out());
    JsonNode server = FarmTestClient.ok(farm.wire().request("GET", "/farm/v1/animals").send())
        .path("items");
    assertThat(printed.isArray()).isTrue();
    assertThat(printed).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertSameAnimal(printed.get(i), server.get(i));
    }
  }

  @Test
  void listMaxStopsAfterNAnimals() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(farm.insert("Sheep " + i, "sheep", null, null).id());
    }

    CliRun list = farm.run("animals", "list", "--max", "3", "--json");

    assertThat(list.exit()).as("%s", list).isZero();
    List<String> printed = new ArrayList<>();
    JSON.readTree(list.out()).forEach(a -> printed.add(a.get("id").asText()));
    assertThat(printed).isEqualTo(ids.subList(0, 3));
    assertThat(list.errLines()).containsExactly("Showed the first 3 animals; there are more"
        + " (raise --max, or drop it to list them all)");
    CliRun all = farm.run("animals", "list", "--max", "5");
    assertThat(all.outLines()).hasSize(6); // the header and five
    assertThat(all.errLines()).as("no hint when nothing is left").isEmpty();
  }

  @Test
  void anEmptyFarmListsNothingOnStdoutAndSaysSoOnStderr() {
    CliRun text = farm.run("animals", "list");
    CliRun json = farm.run("animals", "list", "--json");

    assertThat(text.exit()).isZero();
    assertThat(text.out()).isEmpty();
    assertThat(text.errLines()).containsExactly("No animals on this farm yet.");
    assertThat(json.exit()).isZero();
    assertThat(json.out().trim()).isEqualTo("[ ]");
  }

  @Test
  void getShowsOneAnimalReadablyOrAsTheServersJson() throws Exception {
    Animal pig = farm.insert("Pig", "pig", randomBytes(1536, 3), "image/png");

    CliRun text = farm.run("animals", "get", pig.id());
    CliRun json = farm.run("animals", "get", pig.id(), "--json");

    assertThat(text.exit()).as("%s", text).isZero();
    assertThat(text.outLines()).containsSubsequence(
        "id:       " + pig.id(),
        "name:     Pig",
        "species:  pig",
        "media:    image/png, 1.5 KiB (1536 bytes)",
        "md5:      " + pig.md5Hash(),
        "crc32c:   " + pig.crc32c());
    assertThat(json.exit()).as("%s", json).isZero();
    assertSameAnimal(JSON.readTree(json.out()), FarmTestClient.ok(farm.wire().get(pig.id())));
  }

  @Test
  void patchChangesOnlyTheGivenFieldAndPrintsTheResult() throws Exception {
    Animal pig = farm.insert("Pig", "pig", null, null);

    CliRun patched = farm.run("animals", "patch", pig.id(), "--species", "sus scrofa");

    assertThat(patched.exit()).as("%s", patched).isZero();
    JsonNode server = FarmTestClient.ok(farm.wire().get(pig.id()));
    assertThat(server.path("name").asText()).isEqualTo("Pig");
    assertThat(server.path("species").asText()).isEqualTo("sus scrofa");
    assertThat(patched.outLines()).contains("name:     Pig", "species:  sus scrofa",
        "etag:     " + server.path("etag").asText());

    CliRun renamed = farm.run("animals", "patch", pig.id(), "--name", "Babe", "--json");

    assertThat(renamed.exit()).as("%s", renamed).isZero();
    assertSameAnimal(JSON.readTree(renamed.out()), FarmTestClient.ok(farm.wire().get(pig.id())));
    assertThat(JSON.readTree(renamed.out()).path("name").asText()).isEqualTo("Babe");
    assertThat(JSON.readTree(renamed.out()).path("species").asText()).isEqualTo("sus scrofa");
  }

  @Test
  void patchWithNothingToChangeIsAUsageErrorAndChangesNothing() throws Exception {
    Animal pig = farm.insert("Pig", "pig", null, null);

    CliRun patch = farm.run("animals", "patch", pig.id());

    assertThat(patch.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(patch.err()).startsWith("farm: nothing to change: give --name, --species or both");
    assertThat(FarmTestClient.ok(farm.wire().get(pig.id())).path("etag").asText())
        .isEqualTo(pig.etag());
  }

  @Test
  void deleteRemovesTheAnimalAndSaysSoThenAnotherDeleteIsNotFound() throws Exception {
    Animal pig = farm.insert("Pig", "pig", randomBytes(100, 4), "image/png");
    Animal hen = farm.insert("Hen", null, null, null);

    CliRun deleted = farm.run("animals", "delete", pig.id());

    assertThat(deleted.exit()).as("%s", deleted).isZero();
    assertThat(deleted.outLines()).containsExactly("Deleted " + pig.id());
    assertThat(farm.wire().get(pig.id()).status()).isEqualTo(404);
    assertThat(farm.wire().listIds()).containsExactly(hen.id());

    CliRun again = farm.run("animals", "delete", pig.id());

    assertThat(again.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(again.out()).isEmpty();
    assertThat(again.errLines()).singleElement().asString().startsWith("farm: HTTP 404");

    CliRun json = farm.run("animals", "delete", hen.id(), "--json");

    assertThat(JSON.readTree(json.out()))
        .isEqualTo(JSON.readTree("{\"id\": \"" + hen.id() + "\", \"deleted\": true}"));
    assertThat(farm.wire().listIds()).isEmpty();
  }

  @Test
  void anUnknownIdIsNotFoundInOneLine() {
    CliRun get = farm.run("animals", "get", "noSuchAnimal");
    CliRun patch = farm.run("animals", "patch", "noSuchAnimal", "--name", "X");

    assertThat(get.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(get.errLines()).singleElement().asString()
        .startsWith("farm: HTTP 404").contains("noSuchAnimal");
    assertThat(patch.exit()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void anotherFarmsAnimalIsNotFound() throws Exception {
    Animal mine = farm.insert("Pig", "pig", null, null);
    TestFarm other = TestFarm.create(server);

    assertThat(other.run("animals", "get", mine.id()).exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(other.run("animals", "delete", mine.id()).exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(farm.wire().listIds()).containsExactly(mine.id());
  }

  @Test
  void verboseShowsTheDetailOfAnError() {
    CliRun terse = farm.run("animals", "get", "noSuchAnimal");
    CliRun verbose = farm.run("animals", "get", "noSuchAnimal", "--verbose");

    assertThat(terse.err()).doesNotContain("dev.farmapi.apiclient.HttpError");
    assertThat(verbose.err()).contains("dev.farmapi.apiclient.HttpError").contains("\tat ");
  }

  @Test
  void anIdStartingWithADashIsAnIdAfterDoubleDashAndMostlyWithout() throws Exception {
    Animal dashed;
    do {
      dashed = farm.insertAnyId("Dash", null, null, null);
    } while (!dashed.id().startsWith("-"));

    CliRun afterDoubleDash = farm.run("animals", "get", "--json", "--", dashed.id());

    assertThat(afterDoubleDash.exit()).as("%s", afterDoubleDash).isZero();
    assertThat(JSON.readTree(afterDoubleDash.out()).path("id").asText()).isEqualTo(dashed.id());
    if (!dashed.id().matches("-[hVqvo].*")) { // not a cluster of the command's short options
      CliRun plain = farm.run("animals", "get", dashed.id(), "--json");
      assertThat(plain.exit()).as("%s", plain).isZero();
      assertThat(JSON.readTree(plain.out()).path("id").asText()).isEqualTo(dashed.id());
    }
  }

  /**
   * The CLI's JSON of an animal is the server's own, field for field: {@code kind}, and
   * {@code mediaSize} a string as the API sends int64 values; one shape everywhere.
   */
  static void assertSameAnimal(JsonNode printed, JsonNode server) {
    assertThat(printed).isEqualTo(server);
    assertThat(printed.path("kind").asText()).isEqualTo("farm#animal");
    if (printed.has("mediaSize")) {
      assertThat(printed.get("mediaSize").isTextual()).as("mediaSize as a string").isTrue();
    }
  }
}
