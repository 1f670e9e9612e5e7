package dev.farmapi.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The byte-level half of {@link MultipartReader}: finds delimiter lines in a stream with one
 * fixed buffer, so a part of any size passes through in constant memory.
 *
 * <p>The buffer holds {@code [pos, limit)} unread bytes; {@code [pos, safeEnd)} of them are known
 * to be body bytes of the current part. A byte only becomes "safe" once every delimiter that
 * could start at or before it has been ruled out, which needs at most {@link #lookahead} bytes
 * past it: that is why the buffer is the chunk size plus the lookahead.
 */
final class MultipartScanner {
  static final int CHUNK = 64 * 1024;
  /** Transport padding we look past after a boundary; a longer run is refused, not buffered. */
  static final int MAX_PADDING = 256;

  private static final byte[] NO_PREFIX = {};
  private static final byte[] LF = {'\n'};
  private static final byte[] CRLF = {'\r', '\n'};

  /** What a delimiter candidate turned out to be. */
  enum Match { NO, MORE, NEXT, CLOSE }

  private final InputStream in;
  private final byte[] dashBoundary;
  private final int lookahead;
  private final byte[] buf;
  private int pos;
  private int limit;
  private int safeEnd;
  private boolean eof;
  /** The framing's line break, known from the first delimiter line; null before it. */
  private byte[] lineBreak;
  /** Right after a part's headers the delimiter may come without a line break of its own. */
  private boolean atBodyStart;
  private boolean partEnded;
  private boolean closed;
  /** Where the last matched delimiter ends, and which line break it had. */
  private int matchEnd;
  private byte[] matchedLineBreak;

  MultipartScanner(InputStream in, String boundary) {
    this.in = in;
    this.dashBoundary = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    this.lookahead = CRLF.length + dashBoundary.length + MAX_PADDING + 1 + CRLF.length;
    this.buf = new byte[CHUNK + lookahead];
  }

  String delimiter() {
    return new String(dashBoundary, StandardCharsets.ISO_8859_1);
  }

  /**
   * Skips the preamble up to and including the first delimiter line, which fixes the framing.
   *
   * @return {@link Match#NEXT} when a part follows, {@link Match#CLOSE} for a body with no parts
   * @throws IOException when the stream fails; ApiException when there is no delimiter
   */
  Match skipPreamble() throws IOException {
    // The first delimiter may open the body...
    Match match;
    while ((match = match(pos, NO_PREFIX)) == Match.MORE) {
      fill();
    }
    // ...or start any later line; a preamble's line breaks may be LF or CRLF.
    while (match == Match.NO) {
      int i = pos;
      for (; i < limit; i++) {
        if (buf[i] == '\n' && (match = match(i, LF)) != Match.NO) {
          break;
        }
      }
      pos = i; // the preamble before a candidate is discarded
      if (match == Match.MORE || i == limit) {
        if (!fill() && pos == limit) {
          throw MultipartReader.invalid("the body has no delimiter line '" + delimiter()
              + "'; expected it to start with '" + delimiter()
              + "' and a line break, as the Content-Type boundary says");
        }
        match = Match.NO; // look at the candidate again, with more bytes or knowing it is the end
      }
    }
    lineBreak = matchedLineBreak;
    pos = matchEnd;
    return match;
  }

  /**
   * Reads the current part's header block into {@code dst}, through the empty line that ends it.
   *
   * @return the length of the block without that empty line
   */
  int readHeaderBlock(byte[] dst, int part) throws IOException {
    int length = 0;
    int lineLength = 0;
    while (true) {
      if (pos == limit && !fill()) {
        throw MultipartReader.invalid("the body ended inside the headers of part " + part
            + "; expected headers, an empty line, the part's data and then '" + delimiter()
            + "--'");
      }
      byte b = buf[pos++];
      if (b == '\n') {
        // Lenient on purpose: LF or CRLF ends a header line whatever the framing.
        if (lineLength == 0 || (lineLength == 1 && dst[length - 1] == '\r')) {
          atBodyStart = true;
          partEnded = false;
          safeEnd = pos;
          return length - lineLength;
        }
        lineLength = 0;
      } else {
        lineLength++;
      }
      if (length == dst.length) {
        throw MultipartReader.invalid("the headers of part " + part + " are longer than "
            + dst.length + " bytes; expected at most that before the empty line that ends them");
      }
      dst[length++] = b;
    }
  }

  /** Reads body bytes of the current part; -1 once its delimiter has been reached. */
  int readBody(byte[] dst, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (pos == safeEnd && !partEnded) {
      advance();
    }
    if (partEnded) {
      return -1;
    }
    int n = Math.min(len, safeEnd - pos);
    System.arraycopy(buf, pos, dst, off, n);
    pos += n;
    return n;
  }

  /** Discards the rest of the current part and says whether its delimiter closed the body. */
  boolean skipBody() throws IOException {
    while (!partEnded) {
      pos = safeEnd;
      advance();
    }
    return closed;
  }

  /** Makes bytes safe to hand out, or finds the delimiter that ends the part. */
  private void advance() throws IOException {
    while (true) {
      int i = pos;
      Match match = atBodyStart ? match(pos, NO_PREFIX) : Match.NO;
      if (match == Match.NO) {
        atBodyStart = false;
        for (; i < limit; i++) {
          if (buf[i] == lineBreak[0] && (match = match(i, lineBreak)) != Match.NO) {
            break;
          }
        }
        if (i > pos) {
          safeEnd = i; // every byte before the first candidate is body
          return;
        }
      }
      if (match == Match.NEXT || match == Match.CLOSE) {
        partEnded = true;
        closed = match == Match.CLOSE;
        pos = matchEnd;
        safeEnd = pos;
        return;
      }
      if (!fill() && pos == limit) {
        throw MultipartReader.invalid("the body ended before the closing delimiter '"
            + delimiter() + "--'; expected every part to end with a line break and '"
            + delimiter() + "', and the last one with '" + delimiter() + "--'");
      }
    }
  }

  /**
   * Whether a delimiter starts at {@code i}: the prefix (a line break, or nothing), the dashed
   * boundary, then {@code --} or optional padding and a line break. Anything else, like
   * {@code --boundaryX} or {@code --boundary-x}, is data. {@link Match#MORE} means the buffer
   * ends before the answer is known.
   */
  private Match match(int i, byte[] prefix) {
    int j = i;
    for (byte b : prefix) {
      if (j == limit) {
        return more();
      }
      if (buf[j++] != b) {
        return Match.NO;
      }
    }
    for (byte b : dashBoundary) {
      if (j == limit) {
        return more();
      }
      if (buf[j++] != b) {
        return Match.NO;
      }
    }
    if (j < limit && buf[j] == '-') {
      if (j + 1 == limit) {
        return more();
      }
      if (buf[j + 1] != '-') {
        return Match.NO;
      }
      matchEnd = j + 2;
      matchedLineBreak = null;
      return Match.CLOSE;
    }
    int paddingStart = j;
    while (j < limit && Texts.isLinearWhitespace(buf[j])) {
      if (++j - paddingStart > MAX_PADDING) {
        throw MultipartReader.invalid("a delimiter line '" + delimiter() + "' has more than "
            + MAX_PADDING + " spaces or tabs after it; expected at most that before its line"
            + " break, and no line starting with '" + delimiter() + "' inside a part");
      }
    }
    if (j == limit) {
      return more();
    }
    if (buf[j] == '\n' && lineBreak != CRLF) {
      matchEnd = j + 1;
      matchedLineBreak = LF;
      return Match.NEXT;
    }
    if (buf[j] == '\r' && lineBreak != LF) {
      if (j + 1 == limit) {
        return more();
      }
      if (buf[j + 1] == '\n') {
        matchEnd = j + 2;
        matchedLineBreak = CRLF;
        return Match.NEXT;
      }
    }
    return Match.NO;
  }

  /** Out of bytes while a candidate still matched: wait for more, unless there are none. */
  private Match more() {
    return eof ? Match.NO : Match.MORE;
  }

  /**
   * Moves the unread bytes to the front and reads once more. Callers only ask for more when at
   * most a lookahead's worth is unread, so there is always room.
   *
   * @return false at the end of the stream
   */
  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      safeEnd = Math.max(0, safeEnd - pos);
      pos = 0;
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n == 0) {
      // A stream that answers 0 to a non-empty read breaks the contract; read() must block.
      int b = in.read();
      n = b == -1 ? -1 : 1;
      if (b != -1) {
        buf[limit] = (byte) b;
      }
    }
    if (n == -1) {
      eof = true;
      return false;
    }
    limit += n;
    return true;
  }
}
