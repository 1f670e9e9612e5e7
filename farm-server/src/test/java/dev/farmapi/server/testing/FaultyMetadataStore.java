package dev.farmapi.server.testing;

import dev.farmapi.server.store.Animal;
import dev.farmapi.server.store.AnimalChange;
import dev.farmapi.server.store.AnimalPage;
import dev.farmapi.server.store.ApiKey;
import dev.farmapi.server.store.MetadataStore;
import dev.farmapi.server.store.StoreException;
import dev.farmapi.server.store.UploadSession;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * A {@link MetadataStore} over a real one whose writes a test can make fail as SQLite fails
 * them: {@code SQLITE_FULL} (the disk is full) or {@code SQLITE_IOERR} (the disk failed), thrown
 * as the {@link StoreException} the real store wraps them in. A failed write did not happen (the
 * transaction rolled back), so the fault fires before delegating. Arm with {@link #fail} (until
 * cleared, or for a number of times: a transient fault), mend with {@link #clearAll()}.
 */
public final class FaultyMetadataStore implements MetadataStore {
  /** The writes a fault can hit. */
  public enum Write {
    UPDATE_PROGRESS, COMPLETE_SESSION, INSERT_ANIMAL, UPDATE_ANIMAL, INSERT_SESSION,
    RECORD_IDEMPOTENCY_KEY, RECORD_KEY_USE
  }

  private final MetadataStore delegate;
  private final Map<Write, Armed> armed = new ConcurrentHashMap<>();
  private final AtomicInteger fired = new AtomicInteger();
  private final Map<Write, AtomicInteger> attempts = new ConcurrentHashMap<>();

  public FaultyMetadataStore(MetadataStore delegate) {
    this.delegate = delegate;
  }

  /** Makes every {@code write} fail with {@code code} (SQLITE_FULL, SQLITE_IOERR) until cleared. */
  public void fail(Write write, SQLiteErrorCode code) {
    fail(write, code, Integer.MAX_VALUE);
  }

  /** Makes the next {@code times} {@code write}s fail with {@code code}: a transient fault. */
  public void fail(Write write, SQLiteErrorCode code, int times) {
    armed.put(write, new Armed(code, new AtomicInteger(times)));
  }

  private record Armed(SQLiteErrorCode code, AtomicInteger left) {}

  public void clearAll() {
    armed.clear();
  }

  /** How many writes a fault has failed so far. */
  public int fired() {
    return fired.get();
  }

  /** How many times {@code write} was attempted, failed or not. */
  public int attempts(Write write) {
    return attempts.computeIfAbsent(write, w -> new AtomicInteger()).get();
  }

  private void check(Write write) {
    attempts.computeIfAbsent(write, w -> new AtomicInteger()).incrementAndGet();
    Armed a = armed.get(write);
    if (a != null && a.left().getAndUpdate(FaultyBlobStore::useOnce) > 0) {
      SQLiteErrorCode code = a.code();
      fired.incrementAndGet();
      throw new StoreException(new SQLiteException(
          "[" + code.name() + "] " + code.message + " (injected on " + write + ")", code));
    }
  }

  @Override
  public void recordProgress(String id, long expectedCommitted, long committed, long total,
      String blobState) {
    check(Write.UPDATE_PROGRESS);
    delegate.recordProgress(id, expectedCommitted, committed, total, blobState);
  }

  @Override
  public AnimalChange completeSession(String sessionId, Function<Optional<Animal>, Animal> change) {
    check(Write.COMPLETE_SESSION);
    return delegate.completeSession(sessionId, change);
  }

  @Override
  public void insertAnimal(Animal animal) {
    check(Write.INSERT_ANIMAL);
    delegate.insertAnimal(animal);
  }

  @Override
  public void insertAnimal(Animal animal, String key, Instant keyExpireTime) {
    check(Write.INSERT_ANIMAL);
    delegate.insertAnimal(animal, key, keyExpireTime);
  }

  @Override
  public Optional<AnimalChange> updateAnimal(String farm, String id, UnaryOperator<Animal> change) {
    check(Write.UPDATE_ANIMAL);
    return delegate.updateAnimal(farm, id, change);
  }

  @Override
  public void insertSession(UploadSession session) {
    check(Write.INSERT_SESSION);
    delegate.insertSession(session);
  }

  // ---- everything else passes through

  @Override
  public void recordKeyUse(String id, Instant time) {
    check(Write.RECORD_KEY_USE);
    delegate.recordKeyUse(id, time);
  }

  @Override
  public void addKey(ApiKey key) {
    delegate.addKey(key);
  }

  @Override
  public Optional<ApiKey> keyByHash(String keyHash) {
    return delegate.keyByHash(keyHash);
  }

  @Override
  public Optional<ApiKey> key(String id) {
    return delegate.key(id);
  }

  @Override
  public List<ApiKey> keys() {
    return delegate.keys();
  }

  @Override
  public boolean revokeKey(String id, Instant time) {
    return delegate.revokeKey(id, time);
  }

  @Override
  public boolean hasKeys() {
    return delegate.hasKeys();
  }

  @Override
  public Optional<Animal> animal(String farm, String id) {
    return delegate.animal(farm, id);
  }

  @Override
  public Optional<Animal> deleteAnimal(String farm, String id) {
    return delegate.deleteAnimal(farm, id);
  }

  @Override
  public AnimalPage listAnimals(String farm, long cursor, int limit) {
    return delegate.listAnimals(farm, cursor, limit);
  }

  @Override
  public Optional<UploadSession> session(String id) {
    return delegate.session(id);
  }

  @Override
  public void deleteSession(String id) {
    delegate.deleteSession(id);
  }

  @Override
  public List<UploadSession> expiredSessions(Instant now) {
    return delegate.expiredSessions(now);
  }

  @Override
  public List<UploadSession> receivingSessions() {
    return delegate.receivingSessions();
  }

  @Override
  public List<UploadSession> receivingSessions(String farm) {
    return delegate.receivingSessions(farm);
  }

  @Override
  public Set<String> referencedBlobKeys() {
    return delegate.referencedBlobKeys();
  }

  @Override
  public long receivingSessionCount() {
    return delegate.receivingSessionCount();
  }

  @Override
  public Optional<String> idempotentAnimal(String farm, String key, Instant now) {
    return delegate.idempotentAnimal(farm, key, now);
  }

  @Override
  public void recordIdempotentAnimal(String farm, String key, String animalId, Instant expireTime) {
    check(Write.RECORD_IDEMPOTENCY_KEY);
    delegate.recordIdempotentAnimal(farm, key, animalId, expireTime);
  }

  @Override
  public int deleteExpiredIdempotencyKeys(Instant now) {
    return delegate.deleteExpiredIdempotencyKeys(now);
  }

  /** The real store is closed by the server's data folder, not through this wrapper. */
  @Override
  public void close() throws IOException {
  }
}
