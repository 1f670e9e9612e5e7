package dev.farmapi.server.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * A Jetty request body as a blocking {@link ReadableByteChannel} with a read timeout.
 *
 * <p>The timeout is per read, not per body: a slow but steady client is fine, a silent one is not.
 * It exists because google-api-python-client's retry of a chunk PUT re-sends the
 * {@code Content-Length} with an already-consumed stream, i.e. no body at all: waiting for it
 * forever would pin a thread and the session's lock.
 *
 * <p>A body that keeps dripping is not silent, so it also has a minimum rate, as Apache's
 * {@code mod_reqtimeout} has ({@code body=20,MinRate=500}, its default): the timeout is
 * extended by one second for every {@link #MIN_RATE} bytes received, and a body still running
 * past that fails like a silent one. Without it a slow-loris crowd dripping a byte a second holds
 * every request slot, and real uploads wait behind it.
 */
final class RequestBody implements ReadableByteChannel {
  private final Request request;
  private final long timeoutNanos;
  private Content.Chunk chunk;
  private boolean eof;
  private long bytesRead;
  private long startNanos = -1;

  /** Bytes per second a body must average beyond its first timeout period. */
  static final long MIN_RATE = 500;

  RequestBody(Request request, Duration timeout) {
    this.request = request;
    this.timeoutNanos = timeout.toNanos();
  }

  /** No body byte arrived within the timeout. */
  static final class BodyTimeoutException extends IOException {
    BodyTimeoutException(long bytesRead, Duration timeout) {
      super("no request body bytes for " + timeout.toSeconds() + "s after " + bytesRead
          + " bytes; the client sent less than its Content-Length");
    }

    BodyTimeoutException(String message) {
      super(message);
    }
  }

  long bytesRead() {
    return bytesRead;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (startNanos < 0) {
      startNanos = System.nanoTime();
    }
    while (true) {
      if (eof) {
        return -1;
      }
      if (chunk == null) {
        chunk = request.read();
        if (chunk == null) {
          awaitContent();
          continue;
        }
      }
      if (Content.Chunk.isFailure(chunk)) {
        Throwable failure = chunk.getFailure();
        chunk = null; // a transient failure (idle timeout) must not be re-read forever
        if (failure instanceof TimeoutException) {
          throw new BodyTimeoutException(bytesRead, Duration.ofNanos(timeoutNanos));
        }
        throw failure instanceof IOException io ? io : new IOException(failure);
      }
      ByteBuffer bytes = chunk.getByteBuffer();
      if (bytes.hasRemaining() && dst.hasRemaining()) {
        int n = Math.min(bytes.remaining(), dst.remaining());
        ByteBuffer slice = bytes.slice(bytes.position(), n);
        dst.put(slice);
        bytes.position(bytes.position() + n);
        bytesRead += n;
        checkRate();
        return n;
      }
      if (!bytes.hasRemaining()) {
        eof = chunk.isLast();
        chunk.release();
        chunk = null;
      } else {
        return 0; // dst is full
      }
    }
  }

  private void checkRate() throws BodyTimeoutException {
    double allowedNanos = timeoutNanos + (double) bytesRead / MIN_RATE * 1e9;
    long elapsed = System.nanoTime() - startNanos;
    if (elapsed > allowedNanos) {
      long rate = (long) (bytesRead * 1e9 / Math.max(elapsed, 1));
      throw new BodyTimeoutException("the request body came at " + rate + " bytes/s ("
          + bytesRead + " bytes in " + elapsed / 1_000_000 + " ms), slower than the " + MIN_RATE
          + " bytes/s a body must keep up after its first "
          + Duration.ofNanos(timeoutNanos).toSeconds() + "s");
    }
  }

  private void awaitContent() throws IOException {
    CountDownLatch ready = new CountDownLatch(1);
    request.demand(ready::countDown);
    try {
      if (!ready.await(timeoutNanos, TimeUnit.NANOSECONDS)) {
        throw new BodyTimeoutException(bytesRead, Duration.ofNanos(timeoutNanos));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while reading the request body");
    }
  }

  @Override
  public boolean isOpen() {
    return !eof;
  }

  /** Releases a chunk still held; the rest of the body is Jetty's to drain or drop. */
  @Override
  public void close() {
    if (chunk != null) {
      chunk.release();
      chunk = null;
    }
  }
}
