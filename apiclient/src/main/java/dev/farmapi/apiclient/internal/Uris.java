package dev.farmapi.apiclient.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Small URI and header helpers of the protocol. */
public final class Uris {
  private Uris() {}

  /** {@code uri} with {@code name=value} added to its query. */
  public static URI withQuery(URI uri, String name, String value) {
    String pair = URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(value, StandardCharsets.UTF_8);
    String s = uri.toString();
    int hash = s.indexOf('#');
    String base = hash < 0 ? s : s.substring(0, hash);
    return URI.create(base + (uri.getRawQuery() == null ? "?" : "&") + pair);
  }

  /** The port of an http(s) URI, its scheme's default when it names none. */
  public static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /**
   * The number of bytes a 308's {@code Range} header acknowledges: {@code bytes=0-N} means N+1;
   * no header means none.
   */
  public static long rangeEnd(String range) throws java.net.ProtocolException {
    if (range == null || range.isBlank()) {
      return 0;
    }
    String value = range.trim();
    if (value.startsWith("bytes=")) {
      value = value.substring(6);
    }
    int dash = value.indexOf('-');
    try {
      if (dash < 0 || Long.parseLong(value.substring(0, dash).trim()) != 0) {
        throw new NumberFormatException();
      }
      long last = Long.parseLong(value.substring(dash + 1).trim());
      // bytes=0--5 would be a negative offset, bytes=0-(2^63-1) one that overflows.
      if (last < 0 || last == Long.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return last + 1;
    } catch (NumberFormatException e) {
      throw new java.net.ProtocolException("the server sent a malformed Range header: " + range);
    }
  }
}
