package dev.farmapi.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The little JDBC a pooled store needs: a unit of work in one transaction on one connection,
 * queries mapped row by row, and {@link SQLException}s turned into {@link StoreException}s.
 */
final class Jdbc {
  interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  interface Work<T> {
    T run(Jdbc.Tx tx) throws SQLException;
  }

  private final DataSource pool;

  Jdbc(DataSource pool) {
    this.pool = pool;
  }

  /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
  <T> T inTransaction(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(new Tx(c));
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  <T> List<T> query(String sql, Row<T> row, Object... args) {
    return inTransaction(tx -> tx.query(sql, row, args));
  }

  <T> Optional<T> first(String sql, Row<T> row, Object... args) {
    return query(sql, row, args).stream().findFirst();
  }

  int update(String sql, Object... args) {
    return inTransaction(tx -> tx.update(sql, args));
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken: the pool drops it, and the database rolls back for us
    }
  }

  /** Statements inside one transaction. */
  static final class Tx {
    private final Connection c;

    Tx(Connection c) {
      this.c = c;
    }

    <T> List<T> query(String sql, Row<T> row, Object... args) throws SQLException {
      try (PreparedStatement st = prepare(sql, args); ResultSet rs = st.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(row.map(rs));
        }
        return out;
      }
    }

    <T> Optional<T> first(String sql, Row<T> row, Object... args) throws SQLException {
      return query(sql, row, args).stream().findFirst();
    }

    int update(String sql, Object... args) throws SQLException {
      try (PreparedStatement st = prepare(sql, args)) {
        return st.executeUpdate();
      }
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
      PreparedStatement st = c.prepareStatement(sql);
      for (int i = 0; i < args.length; i++) {
        st.setObject(i + 1, args[i]);
      }
      return st;
    }
  }
}
