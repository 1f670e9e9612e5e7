package dev.farmapi.server.store;

/**
 * Serializes the requests on one upload session, so that chunks, status queries that change
 * something, completion and cancel of a session never interleave, while different sessions never
 * wait for each other. The embedded store uses {@link #inProcess()}; a store shared by several
 * nodes provides one that spans them ({@link PostgresSessionLocks}). A seam of the store because
 * only the store knows who else writes it.
 *
 * <p>A lock is liveness, not safety: a holder can pause past it (a GC, a network partition that
 * drops its database connection) while another node takes the session over. What keeps a 308
 * true then is the fence in every session write ({@code MetadataStore.recordProgress} compares
 * the offset the writer read), so a lock may be lost without harm.
 */
public interface SessionLocks {

  /**
   * Waits for and takes the lock of {@code sessionId}; closing the result releases it.
   *
   * @throws SessionFencedException when the lock could not be had in reasonable time (another
   *     request holds it); nothing was done
   */
  Held lock(String sessionId);

  /** A held lock. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /** Locks of this process: enough when it is the only one writing the store. */
  static SessionLocks inProcess() {
    KeyedLocks locks = new KeyedLocks();
    return id -> {
      KeyedLocks.Held held = locks.lock(id);
      return held::close;
    };
  }
}
