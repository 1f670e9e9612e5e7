package dev.farmapi.server.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The bytes of a download on their way out, holding no thread while the client reads them: a
 * worker takes the next buffer from the {@link MediaBody} (a mapped region of the file, or the
 * blob read into one pooled buffer) and starts its write; the write's completion hands the next
 * buffer to a worker again (or the same worker goes on, when the write completed at once). So a
 * slow reader costs one buffer or one mapped region (file pages, only those the socket has
 * taken resident), not a worker.
 *
 * <p>A download has the request body's minimum rate too: past the body timeout, the bytes the
 * client has taken must keep up with {@code minBodyRate} (one second of allowance per that many
 * bytes), or its connection is cut. Without it a crowd reading a byte a second holds its buffers
 * and connections for as long as it likes.
 */
final class ResponseBody implements Callback {
  private final Exchange ex;
  private final SeekableByteChannel blob;
  private final MediaBody body;
  private final long length;
  private final Optional<Fault> fault;
  private final ServerMetrics metrics;
  private final Scheduler scheduler;
  private final long startNanos = System.nanoTime();
  private long faultAt;
  private long sent;

  // Guarded by this.
  private boolean stepping;
  private boolean completedAtOnce;
  private boolean over;
  private long written;
  private Scheduler.Task timer;

  /** Sends {@code length} bytes of {@code body}; closes it and {@code blob} when over. */
  ResponseBody(Exchange ex, SeekableByteChannel blob, MediaBody body, long length,
      Optional<Fault> fault, ServerMetrics metrics) {
    this.ex = ex;
    this.blob = blob;
    this.body = body;
    this.length = length;
    this.fault = fault;
    this.metrics = metrics;
    this.faultAt = fault.map(f -> f instanceof Fault.BrokenStream b ? b.bytes()
        : ((Fault.Stall) f).bytes()).orElse(Long.MAX_VALUE);
    this.scheduler = ex.request.getComponents().getScheduler();
  }

  /** Sends the bytes; the exchange completes when the last write does. Call on a worker. */
  void start() {
    synchronized (this) {
      armTimer();
    }
    step();
  }

  private void step() {
    try {
      while (true) {
        if (sent == faultAt) {
          if (fault.get() instanceof Fault.BrokenStream) {
            end();
            BrokenResponses.abort(ex);
            return;
          }
          Thread.sleep(((Fault.Stall) fault.get()).pause().toMillis());
          faultAt = Long.MAX_VALUE;
        }
        ByteBuffer bytes = body.next(Math.min(length, faultAt) - sent);
        if (!bytes.hasRemaining() && sent < length) {
          throw new IOException("blob ended after " + sent + " of " + length + " bytes");
        }
        sent += bytes.remaining();
        boolean last = sent >= length;
        metrics.downloadedBytes(bytes.remaining());
        synchronized (this) {
          stepping = true;
          completedAtOnce = false;
        }
        ex.response.write(last, bytes, this);
        synchronized (this) {
          stepping = false;
          if (!completedAtOnce) {
            return; // succeeded() goes on, on a worker, once the client took the bytes
          }
        }
        body.written();
        if (last) {
          finish();
          return;
        }
      }
    } catch (Throwable e) {
      end();
      ex.fail(e);
    }
  }

  @Override
  public void succeeded() {
    synchronized (this) {
      written = sent;
      if (stepping) {
        completedAtOnce = true;
        return;
      }
    }
    body.written();
    if (sent >= length) {
      finish();
    } else {
      ex.serving.execute(this::step);
    }
  }

  /** The write failed: the client went away, or was cut for reading too slowly. */
  @Override
  public void failed(Throwable x) {
    end();
    BrokenResponses.abandon(ex, x);
  }

  @Override
  public InvocationType getInvocationType() {
    return Invocable.InvocationType.NON_BLOCKING;
  }

  private void finish() {
    end();
    ex.callback.succeeded();
  }

  /**
   * Lets go of the timer, the body (a buffer or region a write still holds is left to the garbage
   * collector) and the blob; once.
   */
  private void end() {
    synchronized (this) {
      if (over) {
        return;
      }
      over = true;
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
    }
    body.close();
    try {
      blob.close();
    } catch (IOException e) {
      // read-only: nothing to lose
    }
  }

  private void armTimer() {
    long minRate = ex.serving.minBodyRate();
    if (minRate <= 0 || over) {
      return;
    }
    long due = startNanos + ex.serving.bodyTimeout().toNanos()
        + (long) ((double) written / minRate * 1e9);
    timer = scheduler.schedule(this::onTimer, Math.max(due - System.nanoTime(), 1_000_000),
        TimeUnit.NANOSECONDS);
  }

  private void onTimer() {
    long taken;
    synchronized (this) {
      timer = null;
      if (over) {
        return;
      }
      long allowed = ex.serving.bodyTimeout().toNanos()
          + (long) ((double) written / ex.serving.minBodyRate() * 1e9);
      if (System.nanoTime() - startNanos <= allowed) {
        armTimer();
        return;
      }
      taken = written;
    }
    ex.cut("responseTooSlow", "a download read at less than " + ex.serving.minBodyRate()
        + " bytes/s (" + taken + " of " + length + " bytes taken)");
  }
}
