package dev.farmapi.apiclient.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz test of what our HTTP/1.1 engine reads from a server: the status line, the header fields
 * and the body in each framing (a length, chunks with trailers, until close). Whatever the
 * server sends, the engine either reads an answer exactly as framed or fails with an
 * {@link IOException}; never another exception, never more bytes than the framing says, and the
 * connection's fate (reuse or close) is decided exactly once.
 *
 * <p>Plain {@code mvn test} replays the seeds in
 * {@code src/test/resources/dev/farmapi/apiclient/internal/Http1ResponseFuzzTestInputs/}; the
 * last byte of a seed picks the request method.
 */
class Http1ResponseFuzzTest {
  private static final String[] METHODS = {"GET", "PUT", "HEAD", "POST"};

  @FuzzTest(maxDuration = "10m")
  void anyAnswerIsReadAsFramedOrFailsWithAnIOException(FuzzedDataProvider data) {
    String method = data.pickValue(METHODS);
    int bufferSize = data.consumeInt(1, 64); // small buffers put every boundary mid-buffer
    byte[] wire = data.consumeRemainingAsBytes();
    Read streamed = read(wire, method, bufferSize, false);
    // Downloads read the body into a ByteBuffer: the same bytes, the same end, the same failure.
    Read buffered = read(wire, method, bufferSize, true);
    assertThat(buffered.bytes()).isEqualTo(streamed.bytes());
    assertThat(buffered.ends()).isEqualTo(streamed.ends());
    assertThat(buffered.failed()).isEqualTo(streamed.failed());
    Http1Head head = streamed.head();
    if (head == null) {
      return; // a malformed head, or nothing at all: a connection closed before answering
    }
    assertThat(head.status()).isBetween(200, 599);
    List<Boolean> ends = streamed.ends();
    if (streamed.failed()) {
      assertThat(ends).as("a broken body drops its connection").containsExactly(false);
      return;
    }
    long read = streamed.bytes().length;
    assertThat(read).isLessThanOrEqualTo(wire.length);
    switch (head.framing()) {
      case NONE -> assertThat(read).isZero();
      case LENGTH -> assertThat(read).isEqualTo(head.contentLength());
      default -> { }
    }
    assertThat(ends).as("the body's end is told once").hasSize(1);
    if (ends.get(0)) {
      assertThat(head.framing()).isIn(Http1Head.Framing.NONE, Http1Head.Framing.LENGTH,
          Http1Head.Framing.CHUNKED);
    }
  }

  /** An answer as the engine read it: its head (null if none), body, ends, and failure. */
  private record Read(Http1Head head, byte[] bytes, List<Boolean> ends, boolean failed) {}

  /**
   * Reads {@code wire} as an answer to {@code method}: the body through the stream, or through
   * {@code ByteBuffer}s (direct or on the heap, by the length), in reads of a size the length
   * picks too.
   */
  private static Read read(byte[] wire, String method, int bufferSize, boolean byteBuffers) {
    Http1Input in = new Http1Input(new ByteArrayInputStream(wire), bufferSize);
    List<Boolean> ends = new ArrayList<>();
    Http1Head head;
    try {
      head = Http1Head.read(in, method);
    } catch (IOException e) {
      return new Read(null, new byte[0], ends, true); // the declared failure of a malformed head
    }
    if (head == null) {
      return new Read(null, new byte[0], ends, false);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int size = 1 + wire.length % 13;
    try (Http1Body body = Http1Body.of(head, in, ends::add)) {
      if (byteBuffers) {
        ByteBuffer buffer = wire.length % 2 == 0 ? ByteBuffer.allocateDirect(size)
            : ByteBuffer.allocate(size);
        while (body.read(buffer.clear()) >= 0) {
          buffer.flip();
          while (buffer.hasRemaining()) {
            out.write(buffer.get());
          }
        }
      } else {
        byte[] buffer = new byte[size];
        for (int n; (n = body.read(buffer, 0, buffer.length)) >= 0; ) {
          out.write(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      return new Read(head, out.toByteArray(), ends, true);
    }
    return new Read(head, out.toByteArray(), ends, false);
  }
}
