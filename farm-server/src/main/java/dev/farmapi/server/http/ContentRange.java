package dev.farmapi.server.http;

import dev.farmapi.server.ApiException;
import dev.farmapi.server.upload.ChunkRange;

/**
 * Parses the {@code Content-Range} header of a resumable upload chunk or status query into a
 * {@link ChunkRange}: {@code bytes FIRST-LAST/TOTAL}, {@code bytes FIRST-LAST/*},
 * <code>bytes *&#47;TOTAL</code> or <code>bytes *&#47;*</code>.
 */
public final class ContentRange {
  static final String REASON = "invalidContentRange";
  private static final String EXPECTED =
      "expected 'bytes FIRST-LAST/TOTAL', 'bytes FIRST-LAST/*', 'bytes */TOTAL' or 'bytes */*'";

  private ContentRange() {}

  /**
   * Parses a {@code Content-Range} request header value.
   *
   * @throws ApiException 400 {@code invalidContentRange} when the value is missing, malformed or
   *     inconsistent; the message names the problem and the expected form
   */
  public static ChunkRange parse(String headerValue) {
    if (headerValue == null || isBlank(headerValue)) {
      throw ApiException.badRequest(REASON, "Content-Range is missing or empty; " + EXPECTED);
    }
    Parser parsed = new Parser(headerValue);
    parsed.parse();
    // Checked here, not in the constructor, so that the client's 400 quotes its header.
    String problem = ChunkRange.inconsistency(parsed.first, parsed.last, parsed.total);
    if (problem != null) {
      throw invalid(headerValue, problem);
    }
    return new ChunkRange(parsed.first, parsed.last, parsed.total);
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
