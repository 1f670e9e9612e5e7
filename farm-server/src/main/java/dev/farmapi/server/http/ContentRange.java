package dev.farmapi.server.http;

import dev.farmapi.server.ApiException;

/**
 * The {@code Content-Range} header of a resumable upload chunk or status query.
 *
 * <p>Three shapes, all with inclusive byte positions:
 *
 * <ul>
 *   <li>a chunk, {@code bytes FIRST-LAST/TOTAL}: {@code first..last} of an upload of
 *       {@code total} bytes;
 *   <li>an empty chunk, {@code last == first - 1} (length 0): what google-api-python-client sends
 *       when the data ends exactly on a chunk boundary ({@code bytes 524288-524287/524288}), and
 *       for a zero-byte upload ({@code bytes 0--1/0});
 *   <li>a status query, <code>bytes *&#47;TOTAL</code>: {@code first == last == -1}.
 * </ul>
 *
 * <p>{@code total == -1} means the total is not known yet ({@code *}). The value only promises
 * that the header is consistent in itself; whether the chunk fits the session (offsets, chunk
 * size, a total that changes) is the upload state machine's business.
 *
 * @param first the first byte position, or -1 for a status query
 * @param last the last byte position (first - 1 for an empty chunk), or -1 for a status query
 * @param total the upload's size in bytes, or -1 when unknown
 */
public record ContentRange(long first, long last, long total) {
  static final String REASON = "invalidContentRange";
  private static final String EXPECTED =
      "expected 'bytes FIRST-LAST/TOTAL', 'bytes FIRST-LAST/*', 'bytes */TOTAL' or 'bytes */*'";

  /** Rejects values no header could produce, so every instance is one {@link #parse} accepts. */
  public ContentRange {
    String problem = inconsistency(first, last, total);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /**
   * Parses a {@code Content-Range} request header value.
   *
   * @throws ApiException 400 {@code invalidContentRange} when the value is missing, malformed or
   *     inconsistent; the message names the problem and the expected form
   */
  public static ContentRange parse(String headerValue) {
    if (headerValue == null || isBlank(headerValue)) {
      throw ApiException.badRequest(REASON, "Content-Range is missing or empty; " + EXPECTED);
    }
    Parser parsed = new Parser(headerValue);
    parsed.parse();
    // Checked here, not in the constructor, so that the client's 400 quotes its header.
    String problem = inconsistency(parsed.first, parsed.last, parsed.total);
    if (problem != null) {
      throw invalid(headerValue, problem);
    }
    return new ContentRange(parsed.first, parsed.last, parsed.total);
  }

  /** True for a status query, <code>bytes *&#47;TOTAL</code>: it carries no bytes. */
  public boolean isQuery() {
    return first == -1 && last == -1;
  }

  public boolean totalKnown() {
    return total != -1;
  }

  /** The number of bytes the request body carries: 0 for a query and for an empty chunk. */
  public long length() {
    return isQuery() ? 0 : last - first + 1;
  }

  /** The canonical header value, e.g. {@code bytes 0-262143/1000000}; {@link #parse} reads it. */
  @Override
  public String toString() {
    String range = isQuery() ? "*" : first + "-" + last;
    return "bytes " + range + "/" + (totalKnown() ? Long.toString(total) : "*");
  }

  /** Why these numbers cannot come from one header, or null when they can. */
  private static String inconsistency(long first, long last, long total) {
    if (total < -1) {
      return "the total " + total + " is negative; expected a byte count or '*'";
    }
    if (first == -1 && last == -1) {
      return null; // a query: only the total matters
    }
    if (first < 0) {
      return "the first byte " + first + " is negative; expected 0 or more";
    }
    if (last < first - 1) {
      return "the last byte " + last + " is before the first " + first
          + "; expected FIRST <= LAST, or LAST = FIRST-1 for an empty chunk";
    }
    if (total == -1) {
      // Past Long.MAX_VALUE no upload can end, and length() would overflow.
      return last == Long.MAX_VALUE
          ? "the last byte " + last + " leaves no room for a total; expected LAST below " + last
          : null;
    }
    if (first > total) {
      return "the first byte " + first + " is past the total " + total
          + "; expected FIRST <= TOTAL";
    }
    if (last >= total) {
      return "the last byte " + last + " is not below the total " + total
          + "; expected LAST <= TOTAL-1 (byte positions count from 0)";
    }
    return null;
  }

  static ApiException invalid(String headerValue, String problem) {
    return ApiException.badRequest(
        REASON, "Content-Range '" + Texts.excerpt(headerValue) + "' is invalid: " + problem);
  }

  private static boolean isBlank(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!Texts.isLinearWhitespace(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** A one-pass cursor over the header value: each step says what it expected when it fails. */
  private static final class Parser {
    private final String value;
    private final int end;
    private int pos;
    long first;
    long last;
    long total;

    Parser(String value) {
      this.value = value;
      int start = 0;
      int stop = value.length();
      while (start < stop && Texts.isLinearWhitespace(value.charAt(start))) {
        start++;
      }
      while (stop > start && Texts.isLinearWhitespace(value.charAt(stop - 1))) {
        stop--;
      }
      this.pos = start;
      this.end = stop;
    }

    void parse() {
      if (end - pos < 5 || !Texts.equalsIgnoreAsciiCase(value.substring(pos, pos + 5), "bytes")) {
        throw fail("the unit is not 'bytes'; " + EXPECTED);
      }
      pos += 5;
      if (pos >= end || !Texts.isLinearWhitespace(value.charAt(pos))) {
        throw fail("expected a space after 'bytes' (not '=', as in the Range header)");
      }
      while (pos < end && Texts.isLinearWhitespace(value.charAt(pos))) {
        pos++;
      }
      if (peek('*')) {
        pos++;
        first = -1;
        last = -1;
      } else {
        first = number("FIRST");
        expect('-', "a '-' between FIRST and LAST");
        if (peek('-')) {
          // Only "-1" may be signed: the empty range of a zero-byte upload, "bytes 0--1/0".
          pos++;
          if (!peek('1') || (pos + 1 < end && isDigit(value.charAt(pos + 1)))) {
            throw fail("LAST may be negative only as exactly '-1'; expected digits,"
                + " or 'bytes 0--1/0' for a zero-byte upload");
          }
          pos++;
          last = -1;
        } else {
          last = number("LAST");
        }
      }
      expect('/', "a '/' before TOTAL");
      if (peek('*')) {
        pos++;
        total = -1;
      } else {
        total = number("TOTAL");
      }
      if (pos != end) {
        throw fail("unexpected text after TOTAL; " + EXPECTED);
      }
    }

    private boolean peek(char c) {
      return pos < end && value.charAt(pos) == c;
    }

    private void expect(char c, String what) {
      if (!peek(c)) {
        throw fail("expected " + what + at());
      }
      pos++;
    }

    /** Decimal digits into a long, without NumberFormatException and without overflow. */
    private long number(String name) {
      int start = pos;
      long result = 0;
      while (pos < end && isDigit(value.charAt(pos))) {
        int digit = value.charAt(pos) - '0';
        if (result > (Long.MAX_VALUE - digit) / 10) {
          throw fail(name + " is larger than " + Long.MAX_VALUE + "; expected at most that");
        }
        result = result * 10 + digit;
        pos++;
      }
      if (pos == start) {
        throw fail("expected " + name + " as decimal digits" + at());
      }
      return result;
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9'; // not Character.isDigit: no other scripts' digits
    }

    private String at() {
      return pos < end ? " at '" + Texts.excerpt(value.substring(pos, end)) + "'" : " at the end";
    }

    private ApiException fail(String problem) {
      return invalid(value, problem);
    }
  }
}
