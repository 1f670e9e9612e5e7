package dev.farmapi.apiclient.discovery;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding exactly as Python's {@code urllib.parse.quote} and {@code quote_plus}, which
 * the Python client uses for URI templates and query strings. The JDK's {@code URLEncoder}
 * differs on {@code *} and {@code ~}, so it is not used here.
 */
final class Encoding {
  private static final String HEX = "0123456789ABCDEF";

  private Encoding() {}

  /** {@code quote(value, safe)}: letters, digits, {@code _.-~} and {@code safe} stay as they are. */
  static String quote(String value, String safe) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length + 8);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (isAlwaysSafe(c) || c < 0x80 && safe.indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
      }
    }
    return out.toString();
  }

  /** {@code quote_plus(value, safe='')}, as {@code urlencode} applies to keys and values. */
  static String quotePlus(String value) {
    return quote(value, " ").replace(' ', '+');
  }

  private static boolean isAlwaysSafe(int c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
        || c == '_' || c == '.' || c == '-' || c == '~';
  }
}
