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
  /**
   * The first window of a pushed body: a client must send this much (or all of a shorter body)
   * before its sink is opened (a session's lock taken, a blob opened).
   */
  static final int GATE = 16 * 1024;
  /** A partial window waits this long before it is handed over anyway, when asked for. */
  static final long PARTIAL_WAIT_NANOS = 1_000_000_000L;
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
  private final WindowBudget budget;
  private final ByteBufferPool pool;
  private final Scheduler scheduler;
  private final CutListener cuts;
  private final long timeoutNanos;
  private final Runnable pump = Invocable.from(Invocable.InvocationType.NON_BLOCKING, this::pump);

  // All below guarded by this.
  private RetainableByteBuffer buffer; // flush mode: [position, limit) not yet consumed
  private int reserved; // of the budget, for the buffer
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
  private long waitStartNanos;
  private boolean handOverPartial;
  private boolean partialReady;
  private long deadlineNanos = Long.MAX_VALUE;

  BodyReader(Request request, Serving serving, CutListener cuts) {
    this.request = request;
    this.serving = serving;
    this.budget = serving.windows();
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
      if (unread() == 0) {
        releaseBuffer(); // nothing held while the client takes its time
      }
      readAvailable();
      if (ready()) {
        return window();
      }
      waiting = true;
      waitStartNanos = System.nanoTime();
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

  /**
   * From now on, a window that has waited {@link #PARTIAL_WAIT_NANOS} with some bytes in it is
   * handed over as it is: a slow client's bytes go to the store, not sit in memory.
   */
  synchronized void handOverPartialWindows() {
    handOverPartial = true;
  }

  /**
   * The whole body must be in within {@code limit} of its start (whatever its rate): for a body
   * gathered whole before it is used, which holds its bytes in memory until then.
   */
  synchronized void completeWithin(Duration limit) {
    if (startNanos < 0) {
      startNanos = lastArrivalNanos = System.nanoTime();
    }
    deadlineNanos = startNanos + limit.toNanos();
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
    releaseBuffer();
  }

  private void releaseBuffer() {
    if (buffer != null) {
      budget.release(reserved);
      buffer.release();
      buffer = null;
      reserved = 0;
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
      } else if (now >= deadlineNanos) {
        cut = new BodyTimeoutException("the request body did not arrive in full within "
            + Duration.ofNanos(deadlineNanos - startNanos).toSeconds() + "s (" + received
            + " bytes came)");
      } else {
        cut = rateViolation(now);
      }
      if (cut == null && handOverPartial && unread() > 0
          && now - waitStartNanos >= PARTIAL_WAIT_NANOS) {
        partialReady = true; // what a slow client sent goes on, rather than wait in memory
        next = handOver();
        inline = resumeInline;
      } else if (cut == null) {
        armTimer();
        return;
      } else {
        failure = cut;
        next = handOver();
        inline = resumeInline;
      }
    }
    if (cut != null) {
      cuts.bodyCut(cut);
    }
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
    return failure != null || last || unread() >= want || (partialReady && unread() > 0);
  }

  private Window window() {
    partialReady = false;
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
          if (!append(bytes)) {
            return;
          }
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

  /** Adds the bytes to the window; false (and the body failed) when no memory is left for it. */
  private boolean append(ByteBuffer bytes) {
    int needed = unread() + bytes.remaining();
    if (buffer == null || buffer.capacity() < needed) {
      int size = Math.max(SMALLEST, Integer.highestOneBit(Math.max(needed - 1, 1)) << 1);
      if (!budget.reserve(size)) {
        failure = new WindowBudget.Exhausted(budget);
        return false;
      }
      RetainableByteBuffer bigger = pool.acquire(size, true);
      BufferUtil.clearToFill(bigger.getByteBuffer()); // no-op on a fresh buffer; to be sure
      BufferUtil.flipToFlush(bigger.getByteBuffer(), 0);
      if (buffer != null) {
        BufferUtil.append(bigger.getByteBuffer(), buffer.getByteBuffer());
        releaseBuffer();
      }
      buffer = bigger;
      reserved = size;
    } else if (BufferUtil.space(buffer.getByteBuffer()) < bytes.remaining()) {
      BufferUtil.compact(buffer.getByteBuffer());
    }
    BufferUtil.append(buffer.getByteBuffer(), bytes);
    return true;
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
    long due = Math.min(lastArrivalNanos + timeoutNanos, deadlineNanos);
    if (handOverPartial) {
      due = Math.min(due, waitStartNanos + PARTIAL_WAIT_NANOS);
    }
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
