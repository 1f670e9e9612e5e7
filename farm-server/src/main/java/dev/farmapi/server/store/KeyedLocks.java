package dev.farmapi.server.store;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per key (upload id), created on demand and dropped when nobody holds or awaits it, so
 * that racing requests on one session are serialized while different sessions never wait for
 * each other.
 */
public final class KeyedLocks {
  private final Map<String, Entry> entries = new HashMap<>();

  /** A held lock; closing releases it. */
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
    entry.lock.lock();
    return () -> {
      entry.lock.unlock();
      synchronized (entries) {
        if (--entry.users == 0) {
          entries.remove(key);
        }
      }
    };
  }

  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    int users; // guarded by entries
  }
}
