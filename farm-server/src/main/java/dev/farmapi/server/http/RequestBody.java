package dev.farmapi.server.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A request body as a blocking {@link ReadableByteChannel}, over the exchange's
 * {@link BodyReader}: for the code that pulls (JSON, multipart, gzip decoding). Bytes the reader
 * already gathered come at once; past them a read waits, holding its thread, until bytes arrive
 * or the reader's timeout or minimum rate fails the body.
 *
 * <p>The timeout exists because google-api-python-client's retry of a chunk PUT re-sends the
 * {@code Content-Length} with an already-consumed stream, i.e. no body at all: waiting for it
 * forever would pin a thread and the session's lock.
 */
final class RequestBody implements ReadableByteChannel {
  private final BodyReader reader;
  /** A wait this long means the reader's own timer failed to fire: a bug, not a client. */
  private final Duration safety;
  private boolean eof;

  RequestBody(BodyReader reader, Duration bodyTimeout) {
    this.reader = reader;
    this.safety = bodyTimeout.multipliedBy(2).plusSeconds(10);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (eof) {
      return -1;
    }
    if (!dst.hasRemaining()) {
      return 0;
    }
    while (true) {
      CountDownLatch ready = new CountDownLatch(1);
      BodyReader.Window window = reader.poll(1, ready::countDown, true);
      if (window == null) {
        await(ready);
        continue;
      }
      ByteBuffer bytes = window.bytes();
      if (bytes.hasRemaining()) {
        int n = Math.min(bytes.remaining(), dst.remaining());
        dst.put(bytes.slice(bytes.position(), n));
        bytes.position(bytes.position() + n);
        return n;
      }
      if (window.failure() != null) {
        throw window.failure();
      }
      eof = true;
      return -1;
    }
  }

  private void await(CountDownLatch ready) throws IOException {
    try {
      if (!ready.await(safety.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new BodyReader.BodyTimeoutException(reader.received(), safety);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading the request body");
    }
  }

  @Override
  public boolean isOpen() {
    return !eof;
  }

  /** The reader keeps what was not read: the exchange drains or drops it. */
  @Override
  public void close() {}
}
