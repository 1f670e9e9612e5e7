package dev.farmapi.server.http;

/** Small text helpers shared by the header parsers. */
final class Texts {
  /** Error messages quote client input; a hostile header must not make them huge. */
  static final int MAX_EXCERPT = 100;

  private Texts() {}

  /** Space or tab: HTTP's optional whitespace and MIME's linear whitespace. */
  static boolean isLinearWhitespace(int c) {
    return c == ' ' || c == '\t';
  }

  /** Without leading and trailing spaces and tabs (not {@code strip()}: only HTTP's whitespace). */
  static String trim(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isLinearWhitespace(text.charAt(start))) {
      start++;
    }
    while (end > start && isLinearWhitespace(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }

  /**
   * Case-insensitive for ASCII letters only. {@code String.equalsIgnoreCase} also folds other
   * scripts onto ASCII ('ı' and 'ſ' upper-case to 'I' and 'S'), so "multıpart" would pass.
   */
  static boolean equalsIgnoreAsciiCase(String a, String b) {
    if (a.length() != b.length()) {
      return false;
    }
    for (int i = 0; i < a.length(); i++) {
      if (toLowerAscii(a.charAt(i)) != toLowerAscii(b.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static char toLowerAscii(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  /** The text itself, or its first {@link #MAX_EXCERPT} characters and an ellipsis. */
  static String excerpt(String text) {
    return text.length() <= MAX_EXCERPT ? text : text.substring(0, MAX_EXCERPT) + "...";
  }
}
