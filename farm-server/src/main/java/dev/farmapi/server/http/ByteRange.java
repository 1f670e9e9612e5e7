package dev.farmapi.server.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one byte range a download serves, chosen from a {@code Range} request header (RFC 9110):
 * {@code bytes=F-L}, {@code bytes=F-} or {@code bytes=-N}. A header that is absent, malformed,
 * asks for several ranges, or whose {@code If-Range} no longer matches is ignored: the whole
 * media is served, as the RFC allows. A satisfiable range is always answered with 206, even when
 * it covers everything, so that the client learns the total from {@code Content-Range}.
 */
record ByteRange(long first, long length, boolean partial) {
  private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

  /** The range to serve, or null when the request's range cannot be satisfied (416). */
  static ByteRange select(String rangeHeader, String ifRange, String etag, long size) {
    ByteRange whole = new ByteRange(0, size, false);
    if (rangeHeader == null || size == 0 || (ifRange != null && !ifRange.equals(etag))) {
      return whole;
    }
    Matcher m = SINGLE.matcher(rangeHeader.trim());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return whole;
    }
    try {
      if (m.group(1).isEmpty()) { // a suffix: the last N bytes
        long n = Long.parseLong(m.group(2));
        return n == 0 ? null : new ByteRange(Math.max(0, size - n), Math.min(n, size), true);
      }
      long first = Long.parseLong(m.group(1));
      // An open end reaches past any size, so that "bytes=SIZE-" is unsatisfiable, not invalid.
      long last = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
      if (last < first) {
        return whole; // invalid, so ignored
      }
      if (first >= size) {
        return null;
      }
      last = Math.min(last, size - 1);
      return new ByteRange(first, last - first + 1, true);
    } catch (NumberFormatException e) {
      return whole; // 19 digits that overflow a long
    }
  }

  String contentRange(long size) {
    return "bytes " + first + "-" + (first + length - 1) + "/" + size;
  }
}
