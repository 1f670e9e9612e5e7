package dev.farmapi.apiclient.internal;

import java.io.IOException;
import java.net.ProtocolException;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A response's status line and headers, read with limits (a line, the number of fields, the
 * whole head), and how its body is framed (RFC 9112 section 6.3). Anything malformed is a
 * {@link ProtocolException}: a hostile or broken server can make a request fail, never make the
 * client read a wrong number of bytes or run out of memory.
 *
 * @param contentLength the body's length when {@code framing} is {@link Framing#LENGTH}
 * @param keepAlive whether the connection may carry another request after this body
 */
record Http1Head(int status, HttpHeaders headers, Framing framing, long contentLength,
    boolean keepAlive) {
  static final int MAX_LINE = 16 * 1024;
  static final int MAX_FIELDS = 200;
  static final int MAX_HEAD = 256 * 1024;
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}"); // a Content-Length

  /** How the body ends. */
  enum Framing {
    /** No body (HEAD, 1xx, 204, 304). */
    NONE,
    /** Exactly {@code contentLength} bytes. */
    LENGTH,
    /** Chunked transfer coding. */
    CHUNKED,
    /** Everything until the server closes the connection. */
    UNTIL_CLOSE
  }

  /**
   * Reads the head of the final answer to a {@code method} request, skipping interim (1xx)
   * ones. Null when the connection ends before the answer's first byte (a closed keep-alive
   * connection).
   */
  static Http1Head read(Http1Input in, String method) throws IOException {
    while (true) {
      String statusLine = in.readLine(MAX_LINE);
      if (statusLine == null) {
        return null;
      }
      int status = status(statusLine);
      boolean http10 = statusLine.startsWith("HTTP/1.0");
      Map<String, List<String>> fields = fields(in);
      if (status / 100 == 1) {
        if (status == 101) {
          throw new ProtocolException("the server switched protocols (101) unasked");
        }
        continue; // 100 Continue, 103 Early Hints: the answer follows
      }
      return framed(status, http10, fields, method);
    }
  }

  /** The status code of an {@code HTTP/1.x NNN reason} line. */
  static int status(String line) throws ProtocolException {
    if (line.length() < 12 || !line.startsWith("HTTP/1.") || !isDigit(line.charAt(7))
        || line.charAt(8) != ' ' || !isDigit(line.charAt(9)) || !isDigit(line.charAt(10))
        || !isDigit(line.charAt(11)) || (line.length() > 12 && line.charAt(12) != ' ')) {
      throw new ProtocolException("the server's answer is not HTTP/1.x: "
          + quote(line, 60));
    }
    int status = Integer.parseInt(line.substring(9, 12));
    if (status < 100 || status > 599) {
      throw new ProtocolException("the server sent status " + status + ", outside 100-599");
    }
    return status;
  }

  /** Header fields up to the empty line, names compared without case. */
  static Map<String, List<String>> fields(Http1Input in) throws IOException {
    Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    int count = 0;
    int bytes = 0;
    while (true) {
      String line = in.readLine(MAX_LINE);
      if (line == null) {
        throw new java.io.EOFException("the server's answer ended inside its headers");
      }
      if (line.isEmpty()) {
        return fields;
      }
      bytes += line.length() + 2;
      if (++count > MAX_FIELDS || bytes > MAX_HEAD) {
        throw new ProtocolException("the server sent more than " + MAX_FIELDS
            + " header fields or " + MAX_HEAD + " bytes of them");
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !isToken(line, colon)) {
        throw new ProtocolException("the server sent a malformed header line: "
            + quote(line, 60));
      }
      String value = line.substring(colon + 1).strip();
      fields.computeIfAbsent(line.substring(0, colon), k -> new ArrayList<>(1)).add(value);
    }
  }

  private static Http1Head framed(int status, boolean http10, Map<String, List<String>> fields,
      String method) throws ProtocolException {
    HttpHeaders headers = HttpHeaders.of(fields, (name, value) -> true);
    boolean close = http10 || hasToken(fields.get("Connection"), "close");
    if (method.equals("HEAD") || status == 204 || status == 304) {
      return new Http1Head(status, headers, Framing.NONE, 0, !close);
    }
    List<String> codings = fields.get("Transfer-Encoding");
    if (codings != null) {
      String last = codings.get(codings.size() - 1);
      int comma = last.lastIndexOf(',');
      boolean chunked = last.substring(comma + 1).strip().equalsIgnoreCase("chunked");
      // With both, Transfer-Encoding wins and the connection cannot be trusted again.
      boolean reusable = !close && fields.get("Content-Length") == null;
      return chunked
          ? new Http1Head(status, headers, Framing.CHUNKED, -1, reusable)
          : new Http1Head(status, headers, Framing.UNTIL_CLOSE, -1, false);
    }
    List<String> lengths = fields.get("Content-Length");
    if (lengths == null) {
      return new Http1Head(status, headers, Framing.UNTIL_CLOSE, -1, false);
    }
    long length = -1;
    for (String value : lengths) {
      for (String item : value.split(",", -1)) {
        String v = item.strip();
        if (!DIGITS.matcher(v).matches() || (length >= 0 && Long.parseLong(v) != length)) {
          throw new ProtocolException("the server sent an invalid Content-Length: "
              + quote(String.join(", ", lengths), 60));
        }
        length = Long.parseLong(v);
      }
    }
    return new Http1Head(status, headers, Framing.LENGTH, length, !close);
  }

  /** The size of a chunk from its line ({@code HEX[;extensions]}). */
  static long chunkSize(String line) throws ProtocolException {
    int end = 0;
    while (end < line.length() && Character.digit(line.charAt(end), 16) >= 0) {
      end++;
    }
    String rest = line.substring(end).strip();
    if (end == 0 || end > 15 || !(rest.isEmpty() || rest.startsWith(";"))) {
      throw new ProtocolException("the server sent a malformed chunk size: "
          + quote(line, 40));
    }
    return Long.parseLong(line.substring(0, end), 16);
  }

  private static boolean hasToken(List<String> values, String token) {
    if (values != null) {
      for (String value : values) {
        for (String item : value.split(",")) {
          if (item.strip().equalsIgnoreCase(token)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean isToken(String line, int end) {
    for (int i = 0; i < end; i++) {
      char c = line.charAt(i);
      if (c <= ' ' || c >= 127 || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** Server text for a message: shortened, control characters escaped, quoted. */
  static String quote(String text, int max) {
    StringBuilder b = new StringBuilder("'");
    for (int i = 0; i < text.length() && i < max; i++) {
      char c = text.charAt(i);
      b.append(c < ' ' || c == 127 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
    }
    return b.append(text.length() > max ? "...'" : "'").toString();
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
