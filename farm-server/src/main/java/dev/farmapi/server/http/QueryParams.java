package dev.farmapi.server.http;

import dev.farmapi.server.ApiException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A request's query parameters. Unknown ones are ignored (clients add their own); a repeated one
 * is a 400, because which value wins would be a guess.
 */
final class QueryParams {
  private final Map<String, String> values;

  private QueryParams(Map<String, String> values) {
    this.values = values;
  }

  static QueryParams parse(String rawQuery) {
    Map<String, String> values = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return new QueryParams(values);
    }
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decodeValue(name, pair.substring(eq + 1));
      if (values.putIfAbsent(name, value) != null) {
        throw ApiException.badRequest("duplicateParameter", "query parameter '"
            + Texts.excerpt(name)
            + "' is given more than once; give it once");
      }
    }
    return new QueryParams(values);
  }

  String get(String name) {
    return values.get(name);
  }

  /** A parameter that must be one of {@code allowed}; {@code fallback} when absent (null: required). */
  String oneOf(String name, String fallback, String... allowed) {
    String value = values.getOrDefault(name, fallback);
    if (value == null) {
      throw ApiException.badRequest("required", "query parameter '" + name + "' is required;"
          + " use one of " + String.join(", ", allowed));
    }
    for (String a : allowed) {
      if (a.equals(value)) {
        return value;
      }
    }
    throw ApiException.badRequest("invalidParameter", "query parameter " + name + "="
        + Texts.excerpt(value)
        + " is not valid; use one of " + String.join(", ", allowed));
  }

  /** Decodes a value; a malformed API key is not quoted back: it is a secret, if a broken one. */
  private static String decodeValue(String name, String raw) {
    try {
      return decode(raw);
    } catch (ApiException e) {
      if (name.equals("key")) {
        throw ApiException.badRequest("invalidParameter",
            "query parameter 'key' is not valid percent-encoded UTF-8");
      }
      throw e;
    }
  }

  private static String decode(String s) {
    byte[] out = new byte[s.length()];
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        out[n++] = ' ';
      } else if (c == '%') {
        if (i + 2 >= s.length() || hex(s.charAt(i + 1)) < 0 || hex(s.charAt(i + 2)) < 0) {
          throw malformed(s);
        }
        out[n++] = (byte) (hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2)));
        i += 2;
      } else if (c < 0x80) {
        out[n++] = (byte) c;
      } else {
        throw malformed(s); // a raw URI cannot hold non-ASCII
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(out, 0, n))
          .toString();
    } catch (CharacterCodingException e) {
      throw malformed(s);
    }
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }

  private static ApiException malformed(String s) {
    return ApiException.badRequest("invalidParameter", "query string part '" + Texts.excerpt(s)
        + "' is not valid percent-encoded UTF-8");
  }
}
