package dev.farmapi.apiclient.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A response body that fails when a read has waited {@code timeout} for a byte: the JDK client's
 * body stream blocks forever on a stalled server. Only time spent blocked in {@code read} counts,
 * so a slow destination between reads never trips it. On expiry a watchdog closes the stream
 * (which wakes the blocked reader) and the read throws an {@link HttpTimeoutException}, which the
 * {@link Retrier} treats as a dropped connection.
 */
public final class IdleTimeoutInputStream extends FilterInputStream {
  private static final long NOT_READING = Long.MIN_VALUE;
  private static final ScheduledExecutorService WATCHDOG = Watchdog.TIMER;

  private final Duration timeout;
  private final ScheduledFuture<?> check;
  private volatile long readingSince = NOT_READING;
  private volatile boolean timedOut;

  private IdleTimeoutInputStream(InputStream in, Duration timeout) {
    super(in);
    this.timeout = timeout;
    long period = Math.max(10, Math.min(1000, timeout.toMillis() / 10));
    this.check = WATCHDOG.scheduleWithFixedDelay(this::check, period, period,
        TimeUnit.MILLISECONDS);
  }

  /** {@code in}, failing once a read waits longer than {@code timeout}; close it when done. */
  public static IdleTimeoutInputStream of(InputStream in, Duration timeout) {
    return new IdleTimeoutInputStream(in, timeout);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    readingSince = System.nanoTime();
    try {
      int n = in.read(b, off, len);
      if (timedOut) {
        throw timeout(null);
      }
      return n;
    } catch (IOException e) {
      throw timedOut ? timeout(e) : e;
    } finally {
      readingSince = NOT_READING;
    }
  }

  private void check() {
    long since = readingSince;
    if (since != NOT_READING && System.nanoTime() - since > timeout.toNanos()) {
      timedOut = true;
      check.cancel(false);
      try {
        in.close();
      } catch (IOException e) {
        // the reader fails either way
      }
    }
  }

  private HttpTimeoutException timeout(IOException cause) {
    HttpTimeoutException e = new HttpTimeoutException("no byte of the response body arrived for "
        + timeout.toMillis() + " ms");
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  @Override
  public void close() throws IOException {
    check.cancel(false);
    super.close();
  }
}
