package dev.farmapi.server.http;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all request-body windows may hold at once. Reading a body without a thread means
 * its bytes wait in memory until a window is full; this bounds that memory whatever the clients
 * do (a crowd that sends most of a window fast, then drips). A window that cannot grow fails its
 * request with 503 and {@code Retry-After}: the server refuses work it has no room for, as it
 * refuses requests past its limit, rather than run out of memory.
 */
final class WindowBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();

  WindowBudget(long limit) {
    this.limit = limit;
  }

  /** A quarter of the heap's bound (64 MiB for the launcher's 256 MiB), at least 16 MiB. */
  static WindowBudget ofHeap() {
    return new WindowBudget(Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 4));
  }

  boolean reserve(long bytes) {
    while (true) {
      long now = used.get();
      if (now + bytes > limit) {
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  long used() {
    return used.get();
  }

  long limit() {
    return limit;
  }

  /** No memory left for one more window: a 503 that the client retries. */
  static final class Exhausted extends IOException {
    Exhausted(WindowBudget budget) {
      super("the server holds " + (budget.used() >> 20) + " MiB of request bodies in memory,"
          + " its limit; retry after " + Admission.RETRY_AFTER_SECONDS + " s");
    }
  }
}
