package dev.farmapi.cli;

import java.io.InterruptedIOException;

/**
 * A cap on bytes per second shared by every transfer of one command ({@code --limit-rate}), as
 * curl's: a token bucket that holds at most {@link #BURST_NANOS} worth of bytes, so that a
 * transfer that waited (a retry, a status query) cannot then burst far past the rate. Callers
 * {@link #take} the bytes they are about to move and are held back until the bucket has them;
 * the reservation is made under a lock and the wait outside it, so parallel transfers share the
 * rate fairly in the order they asked.
 */
final class RateLimit {
  /** How much unused rate may be saved up: a tenth of a second of it. */
  static final long BURST_NANOS = 100_000_000L;

  private final long bytesPerSecond;
  private long nextFreeNanos; // when the bytes reserved so far will have been earned

  RateLimit(long bytesPerSecond) {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("rate must be positive");
    }
    this.bytesPerSecond = bytesPerSecond;
    this.nextFreeNanos = System.nanoTime();
  }

  long bytesPerSecond() {
    return bytesPerSecond;
  }

  /** Blocks until {@code bytes} more may move under the cap. */
  void take(long bytes) throws InterruptedIOException {
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      nextFreeNanos = Math.max(nextFreeNanos, now - BURST_NANOS)
          + (long) (bytes * 1e9 / bytesPerSecond);
      wait = nextFreeNanos - now;
    }
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while pacing the transfer");
      }
    }
  }
}
