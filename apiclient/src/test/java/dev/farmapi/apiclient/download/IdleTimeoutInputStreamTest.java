package dev.farmapi.apiclient.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farmapi.apiclient.internal.IdleTimeoutInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/** The watchdog on response bodies: blocked reads time out, slow readers do not. */
class IdleTimeoutInputStreamTest {

  /** Like the JDK's response body: read blocks for the next byte; close wakes it with "closed". */
  static final class SlowBody extends InputStream {
    static final int CLOSED = -2;
    final BlockingQueue<Integer> bytes = new LinkedBlockingQueue<>();

    @Override
    public int read() throws IOException {
      try {
        int b = bytes.take();
        if (b == CLOSED) {
          throw new IOException("closed");
        }
        return b;
      } catch (InterruptedException e) {
        throw new java.io.InterruptedIOException();
      }
    }

    @Override
    public void close() {
      bytes.add(CLOSED);
    }
  }

  @Test
  void readBlockedLongerThanTheTimeoutFailsWithATimeout() throws Exception {
    SlowBody body = new SlowBody();
    body.bytes.add(7);
    long start = System.nanoTime();
    try (InputStream in = IdleTimeoutInputStream.of(body, Duration.ofMillis(200))) {
      assertThat(in.read()).isEqualTo(7);

      assertThatThrownBy(in::read).isInstanceOf(HttpTimeoutException.class)
          .hasMessageContaining("200 ms");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void timeSpentBetweenReadsDoesNotCount() throws Exception {
    SlowBody body = new SlowBody();
    body.bytes.add(1);
    body.bytes.add(2);
    try (InputStream in = IdleTimeoutInputStream.of(body, Duration.ofMillis(100))) {
      assertThat(in.read()).isEqualTo(1);
      Thread.sleep(400); // a slow destination
      assertThat(in.read()).isEqualTo(2);
    }
  }
}
