package dev.farmapi.server.http;

import dev.farmapi.server.ApiException;

/**
 * Finds the boundary in a {@code Content-Type: multipart/related; boundary=...} header.
 *
 * <p>Parameters come in any order and case, with optional whitespace around {@code ;}. The value
 * may be a quoted string (google-api-python-client quotes it: {@code boundary="=====...=="}) or a
 * bare value; a bare value runs to the next {@code ;} or whitespace, so that {@code =} and other
 * characters RFC 2046 allows in a boundary but HTTP does not allow in a token still work.
 */
final class MultipartBoundary {
  static final int MAX_LENGTH = 70; // RFC 2046, section 5.1.1
  private static final String EXPECTED = "expected 'multipart/related; boundary=...'";

  private final String header;
  private final int end;
  private int pos;

  private MultipartBoundary(String header) {
    this.header = header;
    this.end = header.length();
  }

  static String parse(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      throw MultipartReader.invalid("Content-Type is missing; " + EXPECTED);
    }
    return new MultipartBoundary(contentType).boundary();
  }

  /** Checks a boundary however it was obtained, with the reason it cannot frame a body. */
  static String problem(String boundary) {
    if (boundary.isEmpty()) {
      return "the boundary is empty; expected 1 to " + MAX_LENGTH + " characters (RFC 2046)";
    }
    if (boundary.length() > MAX_LENGTH) {
      return "the boundary is " + boundary.length() + " characters long; expected at most "
          + MAX_LENGTH + " (RFC 2046)";
    }
    for (int i = 0; i < boundary.length(); i++) {
      char c = boundary.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return "the boundary has a character that is not printable ASCII at index " + i
            + "; expected letters, digits and punctuation such as '=_-.:'";
      }
    }
    if (boundary.endsWith(" ")) {
      return "the boundary ends with a space; expected it to end with a visible character";
    }
    return null;
  }

  private String boundary() {
    int semicolon = header.indexOf(';');
    String type = Texts.trim(header.substring(0, semicolon == -1 ? end : semicolon));
    if (!Texts.equalsIgnoreAsciiCase(type, "multipart/related")) {
      throw fail("the media type is '" + Texts.excerpt(type) + "', not multipart/related; "
          + EXPECTED);
    }
    pos = semicolon == -1 ? end : semicolon;
    String boundary = null;
    while (pos < end) {
      pos++; // past ';'
      skipWhitespace();
      if (pos == end || header.charAt(pos) == ';') {
        continue; // tolerate "; ;" and a trailing ';'
      }
      String name = parameterName();
      String value = parameterValue(name);
      skipWhitespace();
      if (pos < end && header.charAt(pos) != ';') {
        throw fail("unexpected text after parameter '" + name + "'; expected ';' or the end");
      }
      if (Texts.equalsIgnoreAsciiCase(name, "boundary")) {
        if (boundary != null) {
          throw fail("the boundary parameter appears twice; expected it once");
        }
        boundary = value;
      }
    }
    if (boundary == null) {
      throw fail("there is no boundary parameter; " + EXPECTED);
    }
    String problem = problem(boundary);
    if (problem != null) {
      throw fail(problem);
    }
    return boundary;
  }

  private String parameterName() {
    int start = pos;
    while (pos < end && isTokenChar(header.charAt(pos))) {
      pos++;
    }
    if (pos == start) {
      throw fail("expected a parameter name at '" + Texts.excerpt(header.substring(pos)) + "'");
    }
    String name = header.substring(start, pos);
    skipWhitespace();
    if (pos == end || header.charAt(pos) != '=') {
      throw fail("parameter '" + name + "' has no '='; expected name=value");
    }
    pos++;
    skipWhitespace();
    return name;
  }

  private String parameterValue(String name) {
    if (pos < end && header.charAt(pos) == '"') {
      StringBuilder value = new StringBuilder();
      pos++;
      while (pos < end && header.charAt(pos) != '"') {
        if (header.charAt(pos) == '\\' && pos + 1 < end) {
          pos++; // quoted-pair: the next character stands for itself
        }
        value.append(header.charAt(pos++));
      }
      if (pos == end) {
        throw fail("the quoted value of '" + name + "' has no closing quote; expected '\"'"
            + " after it");
      }
      pos++;
      return value.toString();
    }
    int start = pos;
    while (pos < end && header.charAt(pos) != ';'
        && !Texts.isLinearWhitespace(header.charAt(pos))) {
      pos++;
    }
    return header.substring(start, pos);
  }

  private void skipWhitespace() {
    while (pos < end && Texts.isLinearWhitespace(header.charAt(pos))) {
      pos++;
    }
  }

  /** RFC 9110 tchar. */
  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  private ApiException fail(String problem) {
    return MultipartReader.invalid(
        "Content-Type '" + Texts.excerpt(header) + "' is invalid: " + problem);
  }
}
