package dev.farmapi.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.server.ApiException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Google partial-response selector, the {@code fields} parameter: {@code id,name},
 * {@code items(id,name),nextPageToken}, {@code items/media/size}. Applied to a response object,
 * it keeps only the selected members; a selector on an array applies to each element.
 */
final class FieldMask {
  static final FieldMask ALL = new FieldMask(Map.of());

  /** Selected member name -> what to select inside it ({@link #ALL} for all of it). */
  private final Map<String, FieldMask> members;

  private FieldMask(Map<String, FieldMask> members) {
    this.members = members;
  }

  static FieldMask parse(String fields) {
    if (fields == null || fields.isBlank()) {
      return ALL;
    }
    Parser parser = new Parser(fields);
    FieldMask mask = parser.list();
    if (parser.pos != fields.length()) {
      throw parser.error();
    }
    return mask;
  }

  /** Filters {@code node} in place and returns it. */
  JsonNode apply(JsonNode node) {
    if (members.isEmpty()) {
      return node;
    }
    if (node instanceof ArrayNode array) {
      array.forEach(this::apply);
    } else if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> it = object.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> member = it.next();
        FieldMask inner = members.get(member.getKey());
        if (inner == null) {
          it.remove();
        } else {
          inner.apply(member.getValue());
        }
      }
    }
    return node;
  }

  private static final class Parser {
    private static final int MAX_DEPTH = 16;
    private final String s;
    private int pos;
    private int depth;

    Parser(String s) {
      this.s = s;
    }

    /** field (',' field)* */
    FieldMask list() {
      if (++depth > MAX_DEPTH) {
        throw error();
      }
      Map<String, FieldMask> members = new LinkedHashMap<>();
      do {
        path(members);
      } while (eat(','));
      depth--;
      return new FieldMask(members);
    }

    /** name ('/' name)* ['(' list ')'], merged into {@code into}. */
    private void path(Map<String, FieldMask> into) {
      String name = name();
      FieldMask inner;
      if (eat('/')) {
        Map<String, FieldMask> nested = new LinkedHashMap<>();
        path(nested);
        inner = new FieldMask(nested);
      } else if (eat('(')) {
        inner = list();
        if (!eat(')')) {
          throw error();
        }
      } else {
        inner = ALL;
      }
      into.merge(name, inner, FieldMask::union);
    }

    private String name() {
      int start = pos;
      while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
        pos++;
      }
      if (start == pos) {
        throw error();
      }
      return s.substring(start, pos);
    }

    private boolean eat(char c) {
      while (pos < s.length() && s.charAt(pos) == ' ') {
        pos++;
      }
      if (pos < s.length() && s.charAt(pos) == c) {
        pos++;
        return true;
      }
      return false;
    }

    ApiException error() {
      return ApiException.badRequest("invalidParameter", "fields parameter is malformed near"
          + " position " + pos + "; use a list such as id,name or items(id,name),nextPageToken");
    }
  }

  private static FieldMask union(FieldMask a, FieldMask b) {
    if (a.members.isEmpty() || b.members.isEmpty()) {
      return ALL;
    }
    Map<String, FieldMask> merged = new LinkedHashMap<>(a.members);
    b.members.forEach((k, v) -> merged.merge(k, v, FieldMask::union));
    return new FieldMask(merged);
  }
}
