package dev.farmapi.server.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session locks that span the nodes of a cluster: a PostgreSQL session-level advisory lock on
 * the session id, held on a connection of its own for as long as the request holds the session.
 * A node that dies drops its connections, and PostgreSQL releases its locks at once; a node that
 * only pauses may lose its lock (its connection times out) while it still writes, which is why
 * every session write is also fenced ({@link MetadataStore#recordProgress}).
 */
public final class PostgresSessionLocks implements SessionLocks, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PostgresSessionLocks.class);
  /** The first key of our advisory locks, so that they never meet another application's. */
  private static final int NAMESPACE = 0x46415201; // "FAR" 1

  private final HikariDataSource pool;
  private final Duration wait;

  /**
   * @param size how many sessions this node may hold at once (connections)
   * @param wait how long a request waits for a session another request holds
   */
  public PostgresSessionLocks(PostgresDatabase database, int size, Duration wait) {
    this.pool = database.pool("farm-locks", size);
    this.wait = wait;
  }

  @Override
  public Held lock(String sessionId) {
    long deadline = System.nanoTime() + wait.toNanos();
    Connection c = null;
    try {
      c = pool.getConnection();
      c.setAutoCommit(true);
      while (!tryLock(c, sessionId)) {
        if (System.nanoTime() > deadline) {
          throw new SessionFencedException(sessionId);
        }
        Thread.sleep(20);
      }
      Connection held = c;
      c = null;
      return () -> release(held, sessionId);
    } catch (SQLException e) {
      throw new StoreException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SessionFencedException(sessionId);
    } finally {
      if (c != null) {
        closeQuietly(c);
      }
    }
  }

  private static boolean tryLock(Connection c, String sessionId) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
      st.setInt(1, NAMESPACE);
      st.setString(2, sessionId);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private static void release(Connection c, String sessionId) {
    try (PreparedStatement st = c.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
      st.setInt(1, NAMESPACE);
      st.setString(2, sessionId);
      st.execute();
    } catch (SQLException e) {
      // The connection is broken: PostgreSQL released the lock with it.
      log.debug("releasing the lock of session {}: {}", sessionId, e.toString());
    } finally {
      closeQuietly(c);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // returned to the pool or dropped by it
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
