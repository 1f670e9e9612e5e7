package dev.farmapi.apiclient.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
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
    Http1Input in = new Http1Input(new ByteArrayInputStream(wire), bufferSize);
    List<Boolean> ends = new ArrayList<>();
    Http1Head head;
    try {
      head = Http1Head.read(in, method);
    } catch (IOException e) {
      return; // the declared failure of a malformed head
    }
    if (head == null) {
      return; // nothing at all: a connection closed before answering
    }
    assertThat(head.status()).isBetween(200, 599);
    long read = 0;
    try (InputStream body = Http1Body.of(head, in, ends::add)) {
      byte[] buffer = new byte[1 + wire.length % 13];
      for (int n; (n = body.read(buffer, 0, buffer.length)) >= 0; ) {
        read += n;
      }
    } catch (IOException e) {
      assertThat(ends).as("a broken body drops its connection").containsExactly(false);
      return;
    }
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
}
