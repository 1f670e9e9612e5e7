package dev.farmapi.apiclient.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.apiclient.discovery.MethodSpec.Paging;

/** The page token of Python's {@code list_next}: read from a response, put into a request body. */
final class PageToken {
  private PageToken() {}

  /**
   * The response's next page token, or null when it has none. As in Python, a missing, null,
   * empty, false or zero token ends the paging.
   */
  static JsonNode of(JsonNode response, Paging paging) {
    JsonNode token = response == null ? null : response.get(paging.responseName());
    return JsonFields.truthy(token) ? token : null;
  }

  /** A copy of {@code body} (any Jackson-writable value, or null) with the token set in it. */
  static ObjectNode inBody(ObjectMapper json, Object body, Paging paging, JsonNode token,
      String methodId) {
    JsonNode tree = body == null ? json.createObjectNode() : json.valueToTree(body);
    if (!(tree instanceof ObjectNode object)) {
      throw new IllegalStateException(methodId + ": the page token goes in the body, which is"
          + " not a JSON object");
    }
    return object.deepCopy().set(paging.requestName(), token);
  }
}
