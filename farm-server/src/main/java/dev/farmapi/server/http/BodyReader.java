package dev.farmapi.server.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A request body read without a thread: bytes are gathered into a window, by Jetty's demand
 * callbacks as they arrive, until the window holds what its reader asked for (or the body ended
 * or failed); only then is the reader resumed, on a worker. A client that sends slowly costs the
 * bytes it sent, never a thread or a worker.
 *
 * <p>The body has a timeout and a minimum rate, as Apache's {@code mod_reqtimeout}
 * ({@code body=20,MinRate=500}): it fails with a {@link BodyTimeoutException} when no byte
 * arrives for the timeout, or when, past the timeout, it has averaged less than the minimum rate
 * (the allowance grows by one second per {@code minRate} bytes received). A timer checks while
 * the reader waits; each arrival checks the rate too. Without the rate a crowd dripping a byte a
 * second would hold every slot.
 *
 * <p>One reader at a time: {@link #poll} is not called again before its window was handed over.
 * The window's buffer comes from Jetty's pool and goes back when it is empty and the reader
 * waits, so a stalled body holds only what it sent.
 */
final class BodyReader {
  /** The window the push path asks for: one write to the store per this many bytes. */
  static final int WINDOW = 64 * 1024;
  private static final int SMALLEST = 4 * 1024;

  /**
   * What a poll found: bytes to consume (the caller moves their position), then the body's end
   * or failure once they are consumed, or neither (more bytes will come).
   */
  record Window(ByteBuffer bytes, boolean last, IOException failure) {}

  /** Tells who cares that a body was cut for silence or slowness. */
  interface CutListener {
    void bodyCut(BodyTimeoutException cause);
  }

  private final Request request;
  private final Serving serving;
  private final ByteBufferPool pool;
  private final Scheduler scheduler;
  private final CutListener cuts;
  private final long timeoutNanos;
  private final Runnable pump = Invocable.from(Invocable.InvocationType.NON_BLOCKING, this::pump);

  // All below guarded by this.
  private RetainableByteBuffer buffer; // flush mode: [position, limit) not yet consumed
  private boolean last;
  private IOException failure;
  private int want;
  private Runnable resume;
  private boolean resumeInline;
  private boolean waiting;
  private boolean demandPending;
  private boolean closed;
  private Scheduler.Task timer;
  private long startNanos = -1;
  private long received;
  private long lastArrivalNanos;

  BodyReader(Request request, Serving serving, CutListener cuts) {
    this.request = request;
    this.serving = serving;
    this.pool = request.getComponents().getByteBufferPool();
    this.scheduler = request.getComponents().getScheduler();
    this.cuts = cuts;
    this.timeoutNanos = serving.bodyTimeout().toNanos();
  }

  /**
   * The window, once it holds {@code want} bytes or the body has ended or failed; else null, and
   * {@code resume} runs when it does, on a worker (or, when {@code inline}, on the thread that
   * completed it: for a wake-up that does not block).
   */
  Window poll(int want, Runnable resume, boolean inline) {
    boolean demand;
    synchronized (this) {
      if (waiting) {
        throw new IllegalStateException("a poll of this body is pending");
      }
      if (startNanos < 0) {
        startNanos = lastArrivalNanos = System.nanoTime();
      }
      this.want = Math.max(1, want);
      if (unread() == 0 && buffer != null) {
        buffer.release(); // nothing held while the client takes its time
        buffer = null;
      }
      readAvailable();
      if (ready()) {
        return window();
      }
      waiting = true;
      this.resume = resume;
      this.resumeInline = inline;
      armTimer();
      demand = !demandPending;
      demandPending = true;
    }
    if (demand) {
      request.demand(pump);
    }
    return null;
  }

  /** Whether the body's end was seen: nothing more will come. */
  synchronized boolean ended() {
    return last || failure != null;
  }

  /** Bytes of the body received so far. */
  synchronized long received() {
    return received;
  }

  /** Gives the window's buffer back; the exchange is over. */
  synchronized void close() {
    closed = true;
    waiting = false;
    cancelTimer();
    if (buffer != null) {
      buffer.release();
      buffer = null;
    }
  }

  private void pump() {
    Runnable next;
    boolean inline;
    synchronized (this) {
      demandPending = false;
      if (!waiting) {
        return; // a wake-up nobody waits for any more (the body timed out meanwhile)
      }
      readAvailable();
      if (!ready()) {
        demandPending = true;
        next = null;
        inline = false;
      } else {
        next = handOver();
        inline = resumeInline;
      }
    }
    if (next == null) {
      request.demand(pump);
    } else if (inline) {
      next.run();
    } else {
      serving.execute(next);
    }
  }

  private void onTimer() {
    Runnable next;
    boolean inline;
    BodyTimeoutException cut;
    synchronized (this) {
      timer = null;
      if (!waiting) {
        return;
      }
      long now = System.nanoTime();
      if (now - lastArrivalNanos >= timeoutNanos) {
        cut = new BodyTimeoutException(received, serving.bodyTimeout());
      } else {
        cut = rateViolation(now);
      }
      if (cut == null) {
        armTimer();
        return;
      }
      failure = cut;
      next = handOver();
      inline = resumeInline;
    }
    cuts.bodyCut(cut);
    if (inline) {
      next.run();
    } else {
      serving.execute(next);
    }
  }

  private Runnable handOver() {
    waiting = false;
    cancelTimer();
    Runnable next = resume;
    resume = null;
    return next;
  }

  private boolean ready() {
    return failure != null || last || unread() >= want;
  }

  private Window window() {
    ByteBuffer bytes = buffer == null ? BufferUtil.EMPTY_BUFFER : buffer.getByteBuffer();
    return new Window(bytes, last, failure);
  }

  private int unread() {
    return buffer == null ? 0 : buffer.getByteBuffer().remaining();
  }

  /** Takes every chunk Jetty has, until the window is ready. */
  private void readAvailable() {
    while (!closed && !ready()) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        return;
      }
      try {
        if (Content.Chunk.isFailure(chunk)) {
          Throwable cause = chunk.getFailure();
          // Jetty's idle timeout comes as a transient failure: for us the body went silent.
          failure = cause instanceof TimeoutException
              ? new BodyTimeoutException(received, serving.bodyTimeout())
              : cause instanceof IOException io ? io : new IOException(cause);
          if (failure instanceof BodyTimeoutException cut) {
            cuts.bodyCut(cut);
          }
          return;
        }
        ByteBuffer bytes = chunk.getByteBuffer();
        if (bytes.hasRemaining()) {
          received += bytes.remaining();
          lastArrivalNanos = System.nanoTime();
          append(bytes);
          BodyTimeoutException slow = rateViolation(lastArrivalNanos);
          if (slow != null) {
            failure = slow;
            cuts.bodyCut(slow);
          }
        }
        last = chunk.isLast();
      } finally {
        chunk.release();
      }
    }
  }

  private void append(ByteBuffer bytes) {
    int needed = unread() + bytes.remaining();
    if (buffer == null || buffer.capacity() < needed) {
      int size = Math.max(SMALLEST, Integer.highestOneBit(Math.max(needed - 1, 1)) << 1);
      RetainableByteBuffer bigger = pool.acquire(size, true);
      BufferUtil.clearToFill(bigger.getByteBuffer()); // no-op on a fresh buffer; to be sure
      BufferUtil.flipToFlush(bigger.getByteBuffer(), 0);
      if (buffer != null) {
        BufferUtil.append(bigger.getByteBuffer(), buffer.getByteBuffer());
        buffer.release();
      }
      buffer = bigger;
    } else if (BufferUtil.space(buffer.getByteBuffer()) < bytes.remaining()) {
      BufferUtil.compact(buffer.getByteBuffer());
    }
    BufferUtil.append(buffer.getByteBuffer(), bytes);
  }

  /** The failure of a body running below the minimum rate at {@code now}, or null. */
  private BodyTimeoutException rateViolation(long now) {
    long minRate = serving.minBodyRate();
    if (minRate <= 0) {
      return null;
    }
    long elapsed = now - startNanos;
    double allowed = timeoutNanos + (double) received / minRate * 1e9;
    if (elapsed <= allowed) {
      return null;
    }
    long rate = (long) (received * 1e9 / Math.max(elapsed, 1));
    return new BodyTimeoutException("the request body came at " + rate + " bytes/s ("
        + received + " bytes in " + elapsed / 1_000_000 + " ms), slower than the " + minRate
        + " bytes/s a body must keep up after its first "
        + serving.bodyTimeout().toSeconds() + "s");
  }

  private void armTimer() {
    long now = System.nanoTime();
    long due = lastArrivalNanos + timeoutNanos;
    if (serving.minBodyRate() > 0) {
      long rateDue = startNanos + timeoutNanos
          + (long) ((double) received / serving.minBodyRate() * 1e9) + 1;
      due = Math.min(due, rateDue);
    }
    timer = scheduler.schedule(this::onTimer, Math.max(due - now, 1_000_000),
        TimeUnit.NANOSECONDS);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  /** No body bytes for the timeout, or a body slower than the minimum rate: a 408. */
  static final class BodyTimeoutException extends IOException {
    private final boolean silent;

    BodyTimeoutException(long bytesRead, Duration timeout) {
      super("no request body bytes for " + timeout.toSeconds() + "s after " + bytesRead
          + " bytes; the client sent less than its Content-Length");
      this.silent = true;
    }

    BodyTimeoutException(String message) {
      super(message);
      this.silent = false;
    }

    /** Silent for the timeout, rather than below the minimum rate. */
    boolean silent() {
      return silent;
    }
  }
}
