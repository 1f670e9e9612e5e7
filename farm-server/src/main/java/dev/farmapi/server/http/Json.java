package dev.farmapi.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.server.ApiException;
import java.io.IOException;

/** The server's one JSON mapper, strict and bounded, and the parse that turns junk into a 400. */
final class Json {
  /** Request JSON is small metadata; deeper or longer input is an attack or a mistake. */
  static final int MAX_DEPTH = 32;

  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(MAX_DEPTH)
        .maxStringLength(1 << 20)
        .maxNumberLength(64)
        .build());
  }

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Parses a request body that must be a JSON object; empty input is an empty object. */
  static ObjectNode parseObject(byte[] body, String what) {
    if (isBlank(body)) {
      return object();
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("parseError", what + " is not valid JSON: "
          + e.getOriginalMessage() + "; send a JSON object such as {\"name\": \"Pig\"}");
    } catch (IOException e) {
      throw ApiException.badRequest("parseError", what + " could not be read: " + e.getMessage());
    }
    if (!(node instanceof ObjectNode object)) {
      throw ApiException.badRequest("parseError", what + " must be a JSON object, not "
          + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    return object;
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }
}
