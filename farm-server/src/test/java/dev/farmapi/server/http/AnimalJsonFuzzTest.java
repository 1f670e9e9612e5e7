package dev.farmapi.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.server.ApiException;
import dev.farmapi.server.store.Animal;
import dev.farmapi.server.store.AnimalFields;
import java.time.Instant;
import java.util.Set;

/**
 * Fuzz tests of request JSON: {@link Json#parseObject} and {@link AnimalJson#patch}, the path
 * every animal body takes (insert, update, patch, resumable metadata).
 *
 * <p>Plain {@code mvn test} replays the seeds in
 * {@code src/test/resources/dev/farmapi/server/http/AnimalJsonFuzzTestInputs/}; see
 * {@code src/test/fuzz/run-long.sh} to fuzz.
 */
class AnimalJsonFuzzTest {
  private static final Set<String> REASONS = Set.of("parseError", "unknownField", "invalidField");

  /**
   * Any bytes are either a valid animal write, whose fields obey the limits and come back the
   * same through rendering and parsing again, or a 400 with one of the body's reasons.
   */
  @FuzzTest(maxDuration = "10m")
  void anyBodyIsAValidAnimalOrA400(FuzzedDataProvider data) {
    byte[] body = data.consumeRemainingAsBytes();
    AnimalFields fields;
    try {
      fields = AnimalJson.fields(Json.parseObject(body, "the animal"));
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.reason()).isIn(REASONS);
      assertThat(e.getMessage()).hasSizeLessThan(2000);
      return;
    }
    assertValidText(fields.name(), AnimalJson.MAX_NAME);
    assertValidText(fields.species(), AnimalJson.MAX_SPECIES);

    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    Animal animal = Animal.create("farm", "id", fields, null, now);
    ObjectNode rendered = AnimalJson.render(animal, "http://localhost/");
    // What a client read back it may send back as it got it (output-only fields are ignored).
    AnimalFields again = AnimalJson.fields(Json.parseObject(Json.bytes(rendered), "the animal"));
    assertThat(again).isEqualTo(fields);
  }

  /** A patch changes exactly the fields it names and leaves the others as they were. */
  @FuzzTest(maxDuration = "10m")
  void aPatchChangesOnlyTheFieldsItNames(FuzzedDataProvider data) {
    AnimalFields old = new AnimalFields(data.consumeBoolean() ? "Old" : null,
        data.consumeBoolean() ? "Sus" : null);
    ObjectNode body;
    try {
      body = Json.parseObject(data.consumeRemainingAsBytes(), "the patch");
    } catch (ApiException e) {
      assertThat(e.reason()).isEqualTo("parseError");
      return;
    }
    AnimalFields patched;
    try {
      patched = AnimalJson.patch(body).apply(old);
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.reason()).isIn("unknownField", "invalidField");
      return;
    }
    assertThat(patched.name()).isEqualTo(body.has("name") ? body.get("name").textValue()
        : old.name());
    assertThat(patched.species()).isEqualTo(body.has("species")
        ? body.get("species").textValue() : old.species());
  }

  private static void assertValidText(String text, int max) {
    if (text == null) {
      return;
    }
    assertThat(text.length()).isLessThanOrEqualTo(max);
    assertThat(text.chars().noneMatch(Character::isISOControl)).as("no control characters in %s",
        text).isTrue();
  }
}
