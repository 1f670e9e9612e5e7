package dev.farmapi.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.server.ApiException;
import java.util.Iterator;
import java.util.Map;

/**
 * Fuzz tests of {@link FieldMask}, the {@code fields} selector of partial responses.
 *
 * <p>Plain {@code mvn test} replays the seeds in
 * {@code src/test/resources/dev/farmapi/server/http/FieldMaskFuzzTestInputs/}.
 */
class FieldMaskFuzzTest {
  /**
   * Any selector is a 400 or a mask; a mask only ever removes members (what is left is a
   * sub-tree of the response, values untouched), and applying it twice changes nothing more.
   */
  @FuzzTest(maxDuration = "10m")
  void anySelectorOnlyRemovesMembersAndIsIdempotent(FuzzedDataProvider data) {
    String fields = data.consumeRemainingAsString();
    FieldMask mask;
    try {
      mask = FieldMask.parse(fields);
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.reason()).isEqualTo("invalidParameter");
      assertThat(e.getMessage()).hasSizeLessThan(300);
      return;
    }
    JsonNode original = sampleList();
    JsonNode once = mask.apply(original.deepCopy());
    assertThat(isSubTree(once, original)).as("%s keeps a sub-tree", fields).isTrue();
    assertThat(mask.apply(once.deepCopy())).isEqualTo(once);
  }

  /** A list response like the server's: a kind, a page token, items with nested objects. */
  static JsonNode sampleList() {
    ObjectNode list = Json.object().put("kind", "farm#animalList").put("nextPageToken", "t");
    ArrayNode items = list.putArray("items");
    for (int i = 0; i < 2; i++) {
      ObjectNode item = items.addObject().put("id", "a" + i).put("name", "n" + i);
      item.putObject("media").put("size", "5").putObject("hash").put("md5", "x");
      item.putArray("tags").add("t").addObject().put("id", "nested");
    }
    return list;
  }

  private static boolean isSubTree(JsonNode part, JsonNode whole) {
    if (part.isObject() && whole.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = part.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!whole.has(e.getKey()) || !isSubTree(e.getValue(), whole.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (part.isArray() && whole.isArray()) {
      if (part.size() != whole.size()) {
        return false; // a mask filters inside elements, it never drops them
      }
      for (int i = 0; i < part.size(); i++) {
        if (!isSubTree(part.get(i), whole.get(i))) {
          return false;
        }
      }
      return true;
    }
    return part.equals(whole);
  }
}
