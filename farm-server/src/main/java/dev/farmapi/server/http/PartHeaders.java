package dev.farmapi.server.http;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Parses a part's header block: {@code Name: value} lines, folded lines joined. */
final class PartHeaders {
  private PartHeaders() {}

  /**
   * @param block the header lines, each ending in LF or CRLF, without the empty line after them
   * @param part the part's 1-based number, for messages
   */
  static Map<String, String> parse(byte[] block, int length, int part) {
    // ISO-8859-1 maps every byte to one char: no decoding failure, and bytes survive as chars.
    String text = new String(block, 0, length, StandardCharsets.ISO_8859_1);
    Map<String, String> headers = new HashMap<>();
    String name = null;
    StringBuilder value = new StringBuilder();
    int start = 0;
    while (start < text.length()) {
      int newline = text.indexOf('\n', start);
      int end = newline == -1 ? text.length() : newline;
      String line = text.substring(start, end);
      start = end + 1;
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isEmpty()) {
        continue; // not produced by the scanner, which ends the block at the first empty line
      }
      if (Texts.isLinearWhitespace(line.charAt(0))) {
        // An obsolete folded continuation (RFC 5322 2.2.3): Python folds headers over 78 chars.
        if (name == null) {
          throw MultipartReader.invalid("part " + part + " starts its headers with a continuation"
              + " line; expected 'Name: value' first");
        }
        value.append(' ').append(Texts.trim(line));
        continue;
      }
      if (name != null) {
        put(headers, name, value, part);
      }
      int colon = line.indexOf(':');
      name = colon == -1 ? "" : line.substring(0, colon).toLowerCase(Locale.ROOT);
      if (!isToken(name)) {
        throw MultipartReader.invalid("part " + part + " has a malformed header line '"
            + Texts.excerpt(line) + "'; expected 'Name: value' lines, an empty line, then data");
      }
      value.setLength(0);
      value.append(Texts.trim(line.substring(colon + 1)));
    }
    if (name != null) {
      put(headers, name, value, part);
    }
    return headers;
  }

  private static void put(Map<String, String> headers, String name, CharSequence value, int part) {
    // Two values of one header would be ambiguous (which Content-Type?): refuse, don't guess.
    if (headers.putIfAbsent(name, Texts.trim(value.toString())) != null) {
      throw MultipartReader.invalid("part " + part + " has the header '" + name
          + "' twice; expected each header once");
    }
  }

  private static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
