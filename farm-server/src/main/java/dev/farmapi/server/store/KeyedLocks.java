package dev.farmapi.server.store;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One lock per key (upload id), created on demand and dropped when nobody holds or awaits it, so
 * that racing requests on one session are serialized while different sessions never wait for
 * each other.
 *
 * <p>A lock belongs to the request, not to a thread: a request whose body arrives window by
 * window takes the lock on one worker thread and releases it on another, so it is a semaphore of
 * one permit (not reentrant), not a {@code ReentrantLock}.
 */
public final class KeyedLocks {
  private final Map<String, Entry> entries = new HashMap<>();

  /** A held lock; closing releases it (once: closing again does nothing). */
  public interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /** Waits for and takes the lock of {@code key}. */
  public Held lock(String key) {
    Entry entry;
    synchronized (entries) {
      entry = entries.computeIfAbsent(key, k -> new Entry());
      entry.users++;
    }
    entry.lock.acquireUninterruptibly();
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.getAndSet(true)) {
        return;
      }
      entry.lock.release();
      synchronized (entries) {
        if (--entry.users == 0) {
          entries.remove(key);
        }
      }
    };
  }

  private static final class Entry {
    final Semaphore lock = new Semaphore(1);
    int users; // guarded by entries
  }
}
