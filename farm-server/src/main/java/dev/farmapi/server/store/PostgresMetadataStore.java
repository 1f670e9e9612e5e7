package dev.farmapi.server.store;

import static dev.farmapi.server.store.StoreRows.ANIMAL_COLUMNS;
import static dev.farmapi.server.store.StoreRows.KEY_COLUMNS;
import static dev.farmapi.server.store.StoreRows.SESSION_COLUMNS;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
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

/**
 * The metadata store of a cluster: PostgreSQL, shared by every node. Connections are pooled by
 * HikariCP; the schema is Flyway's {@code db/migration/postgresql}. Each method is one
 * transaction (READ COMMITTED); the read-modify-writes lock their rows ({@code FOR UPDATE}) so
 * that two nodes never interleave, and session progress is fenced by the offset its writer read
 * ({@code UPDATE ... WHERE committed = ?}).
 */
public final class PostgresMetadataStore implements MetadataStore {
  private final HikariDataSource pool;
  private final Jdbc db;

  private PostgresMetadataStore(HikariDataSource pool) {
    this.pool = pool;
    this.db = new Jdbc(pool);
  }

  /**
   * Connects to {@code database} (migrating its schema when needed).
   *
   * @param poolSize connections kept for metadata (the session locks have their own); at least
   *     2, since a Flyway migration holds one for its lock and works on another
   */
  public static PostgresMetadataStore open(PostgresDatabase database, int poolSize)
      throws IOException {
    HikariDataSource pool = database.pool("farm-meta", Math.max(2, poolSize));
    try {
      Flyway.configure().dataSource(pool).locations("classpath:db/migration/postgresql")
          .load().migrate();
      return new PostgresMetadataStore(pool);
    } catch (RuntimeException e) {
      pool.close();
      throw new IOException("cannot open metadata database " + database + ": " + e.getMessage(), e);
    }
  }

  // ---- API keys

  @Override
  public void addKey(ApiKey k) {
    db.update("INSERT INTO api_keys (" + KEY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        k.id(), k.hash(), k.farm(), k.createTime().toEpochMilli(), millis(k.expireTime()),
        k.readOnly(), k.note(), millis(k.lastUseTime()), millis(k.revokeTime()));
  }

  @Override
  public Optional<ApiKey> keyByHash(String keyHash) {
    return db.first("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE key_hash = ?",
        StoreRows::apiKey, keyHash);
  }

  @Override
  public Optional<ApiKey> key(String id) {
    return db.first("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE key_id = ?",
        StoreRows::apiKey, id);
  }

  @Override
  public List<ApiKey> keys() {
    return db.query("SELECT " + KEY_COLUMNS + " FROM api_keys ORDER BY create_time, seq",
        StoreRows::apiKey);
  }

  @Override
  public boolean revokeKey(String id, Instant time) {
    return db.update("UPDATE api_keys SET revoke_time = ? WHERE key_id = ?"
        + " AND revoke_time IS NULL", time.toEpochMilli(), id) == 1;
  }

  @Override
  public void recordKeyUse(String id, Instant time) {
    // The last use never moves back, whichever node writes last.
    db.update("UPDATE api_keys SET last_use_time = ? WHERE key_id = ?"
            + " AND (last_use_time IS NULL OR last_use_time < ?)",
        time.toEpochMilli(), id, time.toEpochMilli());
  }

  @Override
  public boolean hasKeys() {
    return db.first("SELECT 1 FROM api_keys LIMIT 1", rs -> 1).isPresent();
  }

  private static Long millis(Instant time) {
    return time == null ? null : time.toEpochMilli();
  }

  // ---- Animals

  @Override
  public Optional<Animal> animal(String farm, String id) {
    return db.first("SELECT " + ANIMAL_COLUMNS + " FROM animals WHERE farm = ? AND id = ?",
        StoreRows::animal, farm, id);
  }

  @Override
  public void insertAnimal(Animal animal) {
    db.inTransaction(tx -> writeNewAnimal(tx, animal));
  }

  @Override
  public void insertAnimal(Animal animal, String key, Instant keyExpireTime) {
    db.inTransaction(tx -> {
      writeIdempotencyKey(tx, animal.farm(), key, animal.id(), keyExpireTime);
      return writeNewAnimal(tx, animal);
    });
  }

  @Override
  public Optional<AnimalChange> updateAnimal(String farm, String id,
      UnaryOperator<Animal> change) {
    return db.inTransaction(tx -> {
      Optional<Animal> before = lockAnimal(tx, farm, id);
      if (before.isEmpty()) {
        return Optional.empty();
      }
      Animal after = change.apply(before.get());
      writeExistingAnimal(tx, after);
      return Optional.of(new AnimalChange(before, after));
    });
  }

  @Override
  public Optional<Animal> deleteAnimal(String farm, String id) {
    return db.inTransaction(tx -> tx.first("DELETE FROM animals WHERE farm = ? AND id = ?"
        + " RETURNING " + ANIMAL_COLUMNS, StoreRows::animal, farm, id));
  }

  @Override
  public AnimalPage listAnimals(String farm, long cursor, int limit) {
    List<Long> seqs = new ArrayList<>();
    List<Animal> animals = db.query("SELECT " + ANIMAL_COLUMNS + ", seq FROM animals"
            + " WHERE farm = ? AND seq > ? ORDER BY seq LIMIT ?",
        rs -> {
          seqs.add(rs.getLong("seq"));
          return StoreRows.animal(rs);
        }, farm, cursor, limit + 1);
    if (animals.size() <= limit) {
      return new AnimalPage(animals, OptionalLong.empty());
    }
    return new AnimalPage(animals.subList(0, limit), OptionalLong.of(seqs.get(limit - 1)));
  }

  private static Optional<Animal> lockAnimal(Jdbc.Tx tx, String farm, String id)
      throws SQLException {
    return tx.first("SELECT " + ANIMAL_COLUMNS + " FROM animals WHERE farm = ? AND id = ?"
        + " FOR UPDATE", StoreRows::animal, farm, id);
  }

  private static Void writeNewAnimal(Jdbc.Tx tx, Animal a) throws SQLException {
    tx.update(StoreRows.INSERT_ANIMAL, StoreRows.newAnimal(a));
    return null;
  }

  private static void writeExistingAnimal(Jdbc.Tx tx, Animal a) throws SQLException {
    tx.update(StoreRows.UPDATE_ANIMAL, StoreRows.changedAnimal(a));
  }

  // ---- Upload sessions

  @Override
  public void insertSession(UploadSession s) {
    db.update("INSERT INTO upload_sessions (" + SESSION_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        s.id(), s.farm(), s.methodId(), s.animalId(), s.fields() != null,
        s.fields() == null ? null : s.fields().name(),
        s.fields() == null ? null : s.fields().species(),
        s.contentType(), s.total(), s.committed(), s.state().name(), s.blobKey(),
        s.resultAnimalId(), s.blobState(),
        s.createTime().toEpochMilli(), s.expireTime().toEpochMilli(), s.keyId());
  }

  @Override
  public Optional<UploadSession> session(String id) {
    return db.first("SELECT " + SESSION_COLUMNS + " FROM upload_sessions WHERE id = ?",
        StoreRows::session, id);
  }

  @Override
  public void recordProgress(String id, long expectedCommitted, long committed, long total,
      String blobState) {
    int changed = db.update("UPDATE upload_sessions SET committed = ?, total = ?, blob_state = ?"
            + " WHERE id = ? AND committed = ? AND state = 'RECEIVING'",
        committed, total, blobState, id, expectedCommitted);
    if (changed == 0) {
      throw new SessionFencedException(id);
    }
  }

  @Override
  public AnimalChange completeSession(String sessionId,
      Function<Optional<Animal>, Animal> change) {
    return db.inTransaction(tx -> {
      UploadSession s = tx.first("SELECT " + SESSION_COLUMNS + " FROM upload_sessions"
              + " WHERE id = ? FOR UPDATE", StoreRows::session, sessionId)
          .orElseThrow(() -> new IllegalStateException("no session " + sessionId));
      if (s.isComplete()) {
        throw new SessionFencedException(sessionId);
      }
      Optional<Animal> before =
          s.animalId() == null ? Optional.empty() : lockAnimal(tx, s.farm(), s.animalId());
      Animal after = change.apply(before);
      if (before.isPresent()) {
        writeExistingAnimal(tx, after);
      } else {
        writeNewAnimal(tx, after);
      }
      tx.update("UPDATE upload_sessions SET state = ?, committed = ?, total = ?,"
              + " result_animal_id = ? WHERE id = ?",
          UploadSession.State.COMPLETE.name(), after.media().size(), after.media().size(),
          after.id(), sessionId);
      return new AnimalChange(before, after);
    });
  }

  @Override
  public void deleteSession(String id) {
    db.update("DELETE FROM upload_sessions WHERE id = ?", id);
  }

  @Override
  public List<UploadSession> expiredSessions(Instant now) {
    return db.query("SELECT " + SESSION_COLUMNS + " FROM upload_sessions WHERE expire_time <= ?",
        StoreRows::session, now.toEpochMilli());
  }

  @Override
  public List<UploadSession> receivingSessions() {
    return db.query("SELECT " + SESSION_COLUMNS + " FROM upload_sessions"
        + " WHERE state = 'RECEIVING'", StoreRows::session);
  }

  @Override
  public List<UploadSession> receivingSessions(String farm) {
    return db.query("SELECT " + SESSION_COLUMNS + " FROM upload_sessions"
            + " WHERE farm = ? AND state = 'RECEIVING' ORDER BY create_time",
        StoreRows::session, farm);
  }

  @Override
  public Set<String> referencedBlobKeys() {
    return new HashSet<>(db.query("SELECT blob_key FROM animals WHERE blob_key IS NOT NULL"
        + " UNION SELECT blob_key FROM upload_sessions WHERE state = 'RECEIVING'",
        rs -> rs.getString(1)));
  }

  @Override
  public long receivingSessionCount() {
    return db.query("SELECT COUNT(*) FROM upload_sessions WHERE state = 'RECEIVING'",
        rs -> rs.getLong(1)).get(0);
  }

  // ---- Idempotency keys

  @Override
  public Optional<String> idempotentAnimal(String farm, String key, Instant now) {
    return db.first("SELECT animal_id FROM idempotency_keys WHERE farm = ? AND key = ?"
        + " AND expire_time > ?", rs -> rs.getString(1), farm, key, now.toEpochMilli());
  }

  @Override
  public void recordIdempotentAnimal(String farm, String key, String animalId,
      Instant expireTime) {
    db.inTransaction(tx -> writeIdempotencyKey(tx, farm, key, animalId, expireTime));
  }

  private static Void writeIdempotencyKey(Jdbc.Tx tx, String farm, String key, String animalId,
      Instant expireTime) throws SQLException {
    tx.update("INSERT INTO idempotency_keys (farm, key, animal_id, expire_time)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (farm, key)"
            + " DO UPDATE SET animal_id = EXCLUDED.animal_id, expire_time = EXCLUDED.expire_time",
        farm, key, animalId, expireTime.toEpochMilli());
    return null;
  }

  @Override
  public int deleteExpiredIdempotencyKeys(Instant now) {
    return db.update("DELETE FROM idempotency_keys WHERE expire_time <= ?", now.toEpochMilli());
  }

  @Override
  public void close() {
    pool.close();
  }
}
