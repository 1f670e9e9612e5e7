package dev.farmapi.server.store;

import static dev.farmapi.server.store.StoreRows.ANIMAL_COLUMNS;
import static dev.farmapi.server.store.StoreRows.KEY_COLUMNS;
import static dev.farmapi.server.store.StoreRows.SESSION_COLUMNS;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;

/**
 * The embedded metadata store: one SQLite file in WAL mode with {@code synchronous=FULL}, so a
 * committed transaction has been fsynced. Schema changes are Flyway migrations under
 * {@code db/migration/sqlite}.
 *
 * <p>One connection serves the process; SQLite serializes writers anyway, and a transaction here
 * is a few rows, so a lock is both simplest and fastest. Other processes (e.g. {@code farm keys
 * create}) may use the same file; {@code busy_timeout} makes them wait instead of failing.
 */
public final class SqliteMetadataStore implements MetadataStore {
  private final Connection connection;

  private SqliteMetadataStore(Connection connection) {
    this.connection = connection;
  }

  /** Opens (creating and migrating when needed) the database file. */
  public static SqliteMetadataStore open(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    String url = "jdbc:sqlite:" + file.toAbsolutePath();
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(30_000);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    config.enforceForeignKeys(true);
    try {
      Flyway.configure()
          .dataSource(url, "", "")
          .locations("classpath:db/migration/sqlite")
          .load()
          .migrate();
      return new SqliteMetadataStore(DriverManager.getConnection(url, config.toProperties()));
    } catch (SQLException | RuntimeException e) {
      throw new IOException("cannot open metadata database " + file + ": " + e.getMessage(), e);
    }
  }

  // ---- API keys

  @Override
  public synchronized void addKey(ApiKey k) {
    inTransaction(() -> update("INSERT INTO api_keys (" + KEY_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        k.id(), k.hash(), k.farm(), k.createTime().toEpochMilli(), millis(k.expireTime()),
        k.readOnly() ? 1 : 0, k.note(), millis(k.lastUseTime()), millis(k.revokeTime())));
  }

  @Override
  public synchronized Optional<ApiKey> keyByHash(String keyHash) {
    return query("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE key_hash = ?",
        StoreRows::apiKey, keyHash).stream().findFirst();
  }

  @Override
  public synchronized Optional<ApiKey> key(String id) {
    return query("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE key_id = ?",
        StoreRows::apiKey, id).stream().findFirst();
  }

  @Override
  public synchronized List<ApiKey> keys() {
    return query("SELECT " + KEY_COLUMNS + " FROM api_keys ORDER BY create_time, rowid",
        StoreRows::apiKey);
  }

  @Override
  public synchronized boolean revokeKey(String id, Instant time) {
    return inTransaction(() -> update(
        "UPDATE api_keys SET revoke_time = ? WHERE key_id = ? AND revoke_time IS NULL",
        time.toEpochMilli(), id)) == 1;
  }

  @Override
  public synchronized void recordKeyUse(String id, Instant time) {
    inTransaction(() -> update("UPDATE api_keys SET last_use_time = ?"
            + " WHERE key_id = ? AND (last_use_time IS NULL OR last_use_time < ?)",
        time.toEpochMilli(), id, time.toEpochMilli()));
  }

  @Override
  public synchronized boolean hasKeys() {
    return !query("SELECT 1 FROM api_keys LIMIT 1", rs -> 1).isEmpty();
  }

  private static Long millis(Instant time) {
    return time == null ? null : time.toEpochMilli();
  }

  // ---- Animals

  @Override
  public synchronized Optional<Animal> animal(String farm, String id) {
    return query("SELECT " + ANIMAL_COLUMNS + " FROM animals WHERE farm = ? AND id = ?",
        StoreRows::animal, farm, id)
        .stream()
        .findFirst();
  }

  @Override
  public synchronized void insertAnimal(Animal animal) {
    inTransaction(() -> {
      writeNewAnimal(animal);
      return null;
    });
  }

  @Override
  public synchronized void insertAnimal(Animal animal, String key, Instant keyExpireTime) {
    inTransaction(() -> {
      writeIdempotencyKey(animal.farm(), key, animal.id(), keyExpireTime);
      writeNewAnimal(animal);
      return null;
    });
  }

  @Override
  public synchronized Optional<AnimalChange> updateAnimal(
      String farm, String id, UnaryOperator<Animal> change) {
    return inTransaction(() -> {
      Optional<Animal> before = animal(farm, id);
      if (before.isEmpty()) {
        return Optional.empty();
      }
      Animal after = change.apply(before.get());
      writeExistingAnimal(after);
      return Optional.of(new AnimalChange(before, after));
    });
  }

  @Override
  public synchronized Optional<Animal> deleteAnimal(String farm, String id) {
    return inTransaction(() -> {
      Optional<Animal> before = animal(farm, id);
      before.ifPresent(a -> update("DELETE FROM animals WHERE farm = ? AND id = ?", farm, id));
      return before;
    });
  }

  @Override
  public synchronized AnimalPage listAnimals(String farm, long cursor, int limit) {
    List<Long> seqs = new ArrayList<>();
    List<Animal> animals = query(
        "SELECT " + ANIMAL_COLUMNS + ", seq FROM animals WHERE farm = ? AND seq > ?"
            + " ORDER BY seq LIMIT ?",
        rs -> {
          seqs.add(rs.getLong("seq"));
          return StoreRows.animal(rs);
        },
        farm, cursor, limit + 1);
    if (animals.size() <= limit) {
      return new AnimalPage(animals, OptionalLong.empty());
    }
    return new AnimalPage(animals.subList(0, limit), OptionalLong.of(seqs.get(limit - 1)));
  }

  private void writeNewAnimal(Animal a) {
    update(StoreRows.INSERT_ANIMAL, StoreRows.newAnimal(a));
  }

  private void writeExistingAnimal(Animal a) {
    update(StoreRows.UPDATE_ANIMAL, StoreRows.changedAnimal(a));
  }

  // ---- Upload sessions

  @Override
  public synchronized void insertSession(UploadSession s) {
    inTransaction(() -> update(
        "INSERT INTO upload_sessions (" + SESSION_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        s.id(), s.farm(), s.methodId(), s.animalId(), s.fields() == null ? 0 : 1,
        s.fields() == null ? null : s.fields().name(),
        s.fields() == null ? null : s.fields().species(),
        s.contentType(), s.total(), s.committed(), s.state().name(), s.blobKey(),
        s.resultAnimalId(), s.blobState(),
        s.createTime().toEpochMilli(), s.expireTime().toEpochMilli(), s.keyId()));
  }

  @Override
  public synchronized Optional<UploadSession> session(String id) {
    return query("SELECT " + SESSION_COLUMNS + " FROM upload_sessions WHERE id = ?",
        StoreRows::session, id)
        .stream()
        .findFirst();
  }

  @Override
  public synchronized void recordProgress(String id, long expectedCommitted, long committed,
      long total, String blobState) {
    int changed = inTransaction(() -> update("UPDATE upload_sessions"
            + " SET committed = ?, total = ?, blob_state = ?"
            + " WHERE id = ? AND committed = ? AND state = 'RECEIVING'",
        committed, total, blobState, id, expectedCommitted));
    if (changed == 0) {
      throw new SessionFencedException(id);
    }
  }

  @Override
  public synchronized AnimalChange completeSession(
      String sessionId, Function<Optional<Animal>, Animal> change) {
    return inTransaction(() -> {
      UploadSession s = session(sessionId)
          .orElseThrow(() -> new IllegalStateException("no session " + sessionId));
      if (s.isComplete()) {
        throw new SessionFencedException(sessionId);
      }
      Optional<Animal> before =
          s.animalId() == null ? Optional.empty() : animal(s.farm(), s.animalId());
      Animal after = change.apply(before);
      if (before.isPresent()) {
        writeExistingAnimal(after);
      } else {
        writeNewAnimal(after);
      }
      update("UPDATE upload_sessions SET state = ?, committed = ?, total = ?, result_animal_id = ?"
              + " WHERE id = ?",
          UploadSession.State.COMPLETE.name(), after.media().size(), after.media().size(),
          after.id(), sessionId);
      return new AnimalChange(before, after);
    });
  }

  @Override
  public synchronized void deleteSession(String id) {
    inTransaction(() -> update("DELETE FROM upload_sessions WHERE id = ?", id));
  }

  @Override
  public synchronized List<UploadSession> expiredSessions(Instant now) {
    return query("SELECT " + SESSION_COLUMNS + " FROM upload_sessions WHERE expire_time <= ?",
        StoreRows::session, now.toEpochMilli());
  }

  @Override
  public synchronized List<UploadSession> receivingSessions() {
    return query("SELECT " + SESSION_COLUMNS + " FROM upload_sessions WHERE state = 'RECEIVING'",
        StoreRows::session);
  }

  @Override
  public synchronized List<UploadSession> receivingSessions(String farm) {
    return query("SELECT " + SESSION_COLUMNS + " FROM upload_sessions"
            + " WHERE farm = ? AND state = 'RECEIVING' ORDER BY create_time",
        StoreRows::session, farm);
  }

  @Override
  public synchronized Set<String> referencedBlobKeys() {
    return new HashSet<>(query(
        "SELECT blob_key FROM animals WHERE blob_key IS NOT NULL"
            + " UNION SELECT blob_key FROM upload_sessions WHERE state = 'RECEIVING'",
        rs -> rs.getString(1)));
  }

  @Override
  public synchronized long receivingSessionCount() {
    return query("SELECT COUNT(*) FROM upload_sessions WHERE state = 'RECEIVING'",
        rs -> rs.getLong(1)).get(0);
  }

  // ---- Idempotency keys

  @Override
  public synchronized Optional<String> idempotentAnimal(String farm, String key, Instant now) {
    return query("SELECT animal_id FROM idempotency_keys WHERE farm = ? AND key = ?"
            + " AND expire_time > ?", rs -> rs.getString(1), farm, key, now.toEpochMilli())
        .stream()
        .findFirst();
  }

  @Override
  public synchronized void recordIdempotentAnimal(String farm, String key, String animalId,
      Instant expireTime) {
    inTransaction(() -> writeIdempotencyKey(farm, key, animalId, expireTime));
  }

  private int writeIdempotencyKey(String farm, String key, String animalId, Instant expireTime) {
    return update("INSERT OR REPLACE INTO idempotency_keys (farm, key, animal_id, expire_time)"
        + " VALUES (?, ?, ?, ?)", farm, key, animalId, expireTime.toEpochMilli());
  }

  @Override
  public synchronized int deleteExpiredIdempotencyKeys(Instant now) {
    return inTransaction(() -> update("DELETE FROM idempotency_keys WHERE expire_time <= ?",
        now.toEpochMilli()));
  }

  // ---- JDBC plumbing

  @Override
  public synchronized void close() throws IOException {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IOException(e);
    }
  }

  private interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private interface Work<T> {
    T run();
  }

  /**
   * Runs {@code work} in one (immediate) transaction. Statements outside one commit on their own;
   * callers hold this object's monitor, so nothing interleaves.
   */
  private <T> T inTransaction(Work<T> work) {
    try {
      connection.setAutoCommit(false);
      try {
        T result = work.run();
        connection.commit();
        return result;
      } catch (RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  private <T> List<T> query(String sql, Row<T> row, Object... args) {
    try (PreparedStatement st = prepare(sql, args); ResultSet rs = st.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) {
        out.add(row.map(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  private int update(String sql, Object... args) {
    try (PreparedStatement st = prepare(sql, args)) {
      return st.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  private PreparedStatement prepare(String sql, Object... args) throws SQLException {
    PreparedStatement st = connection.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      st.setObject(i + 1, args[i]);
    }
    return st;
  }
}
