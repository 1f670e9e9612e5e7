package dev.farmapi.apiclient.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fails what makes no progress: a {@link Watch} runs its expiry action (closing a socket, which
 * wakes a thread blocked in a write) once {@code idle} passes without a {@link Watch#tick()}.
 * Blocking socket writes have no timeout of their own; this is theirs. One daemon thread serves
 * every watch of the process.
 */
final class Watchdog {
  static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "farmapi-watchdog");
        thread.setDaemon(true);
        return thread;
      });

  private Watchdog() {}

  /** Starts watching; close the watch when the guarded operation ends. */
  static Watch watch(Duration idle, Runnable onExpiry) {
    return new Watch(idle.toNanos(), onExpiry);
  }

  /** One guarded operation. */
  static final class Watch implements AutoCloseable {
    private final long idleNanos;
    private final Runnable onExpiry;
    private final ScheduledFuture<?> check;
    private volatile long lastTick = System.nanoTime();
    private volatile boolean expired;

    private Watch(long idleNanos, Runnable onExpiry) {
      this.idleNanos = idleNanos;
      this.onExpiry = onExpiry;
      long period = Math.max(10, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(idleNanos) / 10));
      this.check = TIMER.scheduleWithFixedDelay(this::check, period, period,
          TimeUnit.MILLISECONDS);
    }

    /** Bytes moved. */
    void tick() {
      lastTick = System.nanoTime();
    }

    /** Whether the expiry action ran. */
    boolean expired() {
      return expired;
    }

    private void check() {
      if (!expired && System.nanoTime() - lastTick > idleNanos) {
        expired = true;
        check.cancel(false);
        onExpiry.run();
      }
    }

    @Override
    public void close() {
      check.cancel(false);
    }
  }
}
