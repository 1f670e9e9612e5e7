package dev.farmapi.apiclient.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** Reading a discovery document's fields, and Python's notion of a true value. */
final class JsonFields {
  private JsonFields() {}

  /** Python's truthiness of a JSON value: absent, null, false, 0, "" and empty are false. */
  static boolean truthy(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return false;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isNumber()) {
      return n.isFloatingPointNumber() ? n.doubleValue() != 0 : n.bigIntegerValue().signum() != 0;
    }
    return n.isTextual() ? !n.textValue().isEmpty() : n.size() > 0;
  }

  /** The fields of an object; none when absent or null. */
  static Iterable<Map.Entry<String, JsonNode>> entries(JsonNode json, String where) {
    if (json == null || json.isNull()) {
      return List.of();
    }
    return object(json, where)::fields;
  }

  static JsonNode object(JsonNode json, String where) {
    if (!json.isObject()) {
      throw new IllegalArgumentException(where + " is not a JSON object");
    }
    return json;
  }

  /** A required string field. */
  static String text(JsonNode json, String field, String where) {
    JsonNode v = json.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(where + " has no " + field
          + (v == null ? "" : " string (it is " + v + ")"));
    }
    return v.textValue();
  }

  /** An optional string field; empty when absent or not a string. */
  static String optionalText(JsonNode json, String field) {
    return json.path(field).isTextual() ? json.get(field).textValue() : "";
  }
}
