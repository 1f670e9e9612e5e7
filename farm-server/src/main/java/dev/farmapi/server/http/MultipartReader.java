package dev.farmapi.server.http;

import dev.farmapi.server.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;

/**
 * Streams the parts of a {@code multipart/related} body, the way a multipart upload sends its
 * metadata and its media.
 *
 * <p>Both framings in the wild are read byte-exactly: RFC 2046's CRLF, and the bare LF of
 * google-api-python-client (Python's email generator: no preamble, LF everywhere, a trailing LF
 * after the close delimiter). The framing is the line break of the first delimiter line. A part's
 * data ends right before the framing's line break that precedes the next delimiter, so media
 * ending in {@code \r} or {@code \n} keeps it. A line counts as a delimiter only when the dashed
 * boundary is followed by {@code --} or by optional spaces or tabs and the line break.
 *
 * <p>Memory stays constant whatever the part size: one 64 KiB buffer plus a delimiter's
 * lookahead. Malformed input is a 400 {@link ApiException} with reason {@code invalidMultipart};
 * failures of the underlying stream propagate as the stream's {@link IOException}.
 *
 * <pre>{@code
 * MultipartReader reader = new MultipartReader(body, MultipartReader.boundary(contentType));
 * for (MultipartReader.Part part; (part = reader.nextPart()) != null; ) {
 *   try (InputStream data = reader.partBody()) { ... }
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one request, one reader.
 */
public final class MultipartReader {
  static final String REASON = "invalidMultipart";
  /** Part headers are a few short lines; this bounds what a hostile client can make us hold. */
  static final int MAX_HEADER_BYTES = 16 * 1024;

  private enum State { START, IN_PART, DONE, FAILED }

  private final MultipartScanner scanner;
  private State state = State.START;
  /** 1-based number of the current part; also tells a stale {@link #partBody} from a live one. */
  private int part;
  private InputStream partBody;
  private byte[] headerBlock;

  /**
   * A reader over {@code body} with the boundary of its Content-Type. Reads nothing yet.
   *
   * @throws IllegalArgumentException when {@code boundary} could not frame a body
   */
  public MultipartReader(InputStream body, String boundary) {
    if (body == null || boundary == null) {
      throw new NullPointerException(body == null ? "body" : "boundary");
    }
    String problem = MultipartBoundary.problem(boundary);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    this.scanner = new MultipartScanner(body, boundary);
  }

  /**
   * The boundary of a {@code multipart/related} Content-Type, quoted or not, among parameters in
   * any order and case.
   *
   * @throws ApiException 400 {@code invalidMultipart} for another media type, a missing boundary,
   *     or one that is empty or longer than 70 characters
   */
  public static String boundary(String contentTypeHeader) {
    return MultipartBoundary.parse(contentTypeHeader);
  }

  /**
   * Moves to the next part, skipping whatever of the current part's data was not read.
   *
   * @return the part's headers, or null after the close delimiter
   * @throws ApiException 400 {@code invalidMultipart} when the body is malformed or truncated
   */
  public Part nextPart() throws IOException {
    if (state == State.FAILED) {
      throw new IllegalStateException("an earlier nextPart() failed; the body cannot be read on");
    }
    State from = state;
    state = State.FAILED; // unless this call gets through
    switch (from) {
      case START -> {
        if (scanner.skipPreamble() == MultipartScanner.Match.CLOSE) {
          return finish();
        }
      }
      case IN_PART -> {
        if (scanner.skipBody()) {
          return finish();
        }
      }
      default -> {
        return finish();
      }
    }
    part++;
    if (headerBlock == null) {
      headerBlock = new byte[MAX_HEADER_BYTES]; // once per reader: a body may have many parts
    }
    int length = scanner.readHeaderBlock(headerBlock, part);
    Part result = new Part(PartHeaders.parse(headerBlock, length, part));
    state = State.IN_PART;
    partBody = new PartBody(part);
    return result;
  }

  /**
   * The current part's data, streamed from the request body: read it before calling
   * {@link #nextPart} again. Closing it does not close the request body.
   *
   * @throws IllegalStateException before the first part and after the last
   */
  public InputStream partBody() {
    if (state != State.IN_PART) {
      throw new IllegalStateException("no current part: call nextPart() and check for null");
    }
    return partBody;
  }

  private Part finish() {
    state = State.DONE;
    partBody = null;
    return null;
  }

  static ApiException invalid(String message) {
    return ApiException.badRequest(REASON, message);
  }

  /**
   * A part's headers, names lower-cased.
   *
   * @param headers header names in lower case to their values, without surrounding whitespace
   */
  public record Part(Map<String, String> headers) {
    /** The type a part without a Content-Type has (RFC 2046 says text/plain; uploads are bytes). */
    public static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    public Part {
      headers = Map.copyOf(headers);
    }

    /** The part's Content-Type, or {@value #DEFAULT_CONTENT_TYPE} when it has none. */
    public String contentType() {
      String type = headers.get("content-type");
      return type == null || type.isEmpty() ? DEFAULT_CONTENT_TYPE : type;
    }

    /** The value of the header with this name in any case, or null. */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** One part's data: a window onto the scanner that goes dead when the reader moves on. */
  private final class PartBody extends InputStream {
    private final int number;
    private final byte[] one = new byte[1];

    PartBody(int number) {
      this.number = number;
    }

    @Override
    public int read() throws IOException {
      int n = read(one, 0, 1);
      return n == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      if (number != part || state != State.IN_PART) {
        throw new IllegalStateException("part " + number + " is over: the reader has moved on");
      }
      return scanner.readBody(b, off, len);
    }
  }
}
