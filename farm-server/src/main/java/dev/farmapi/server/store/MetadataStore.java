package dev.farmapi.server.store;

import java.io.Closeable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Durable metadata: API keys, animals and upload sessions. Every method is atomic and, once it
 * returns, durable (it survives kill -9 and power loss to the extent the disk keeps fsync's
 * promise). Implementations are thread-safe.
 *
 * <p>Farm isolation lives here too: every animal read or write names its farm, and an animal of
 * another farm is simply absent.
 */
public interface MetadataStore extends Closeable {

  // ---- API keys. Only a hash of each key is stored, with its public id.

  /** Records a new key; its id and hash must both be new. */
  void addKey(ApiKey key);

  /** The key with this SHA-256 hash (hex), revoked and expired ones included. */
  Optional<ApiKey> keyByHash(String keyHash);

  /** The key with this public id, revoked and expired ones included. */
  Optional<ApiKey> key(String id);

  /** Every key of every farm, revoked and expired ones included, oldest first. */
  List<ApiKey> keys();

  /**
   * Revokes a key as of {@code time}: it stays listed, and is never let in again. False when
   * there is no such key or it was revoked already (the first revocation time stays).
   */
  boolean revokeKey(String id, Instant time);

  /**
   * Records a use of a key at {@code time}, unless a later one is recorded already: the last use
   * never moves back, whichever server node writes last.
   */
  void recordKeyUse(String id, Instant time);

  /** Whether any key was ever made, revoked ones included (the first start makes the admin key). */
  boolean hasKeys();

  // ---- Animals.

  Optional<Animal> animal(String farm, String id);

  /** Inserts a new animal; its (farm, id) must be new. */
  void insertAnimal(Animal animal);

  /**
   * Inserts a new animal and, in the same transaction, records it as what {@code key} (an
   * {@code Idempotency-Key} of its farm) produced, until {@code keyExpireTime}: both or neither,
   * so a retry finds the animal or makes it, and one commit (one fsync) does both.
   */
  void insertAnimal(Animal animal, String key, Instant keyExpireTime);

  /**
   * Atomically reads an animal, applies {@code change} and writes the result. Empty when the
   * animal does not exist. {@code change} may throw to abort without writing.
   */
  Optional<AnimalChange> updateAnimal(String farm, String id, UnaryOperator<Animal> change);

  /** Deletes an animal, returning what was deleted. */
  Optional<Animal> deleteAnimal(String farm, String id);

  /** Up to {@code limit} animals of a farm after {@code cursor} (0 for the first page). */
  AnimalPage listAnimals(String farm, long cursor, int limit);

  // ---- Upload sessions.

  void insertSession(UploadSession session);

  Optional<UploadSession> session(String id);

  /**
   * Records new progress of a receiving session: bytes made durable, the total (once known) and
   * the blob store's state that holds them. Fenced: the write happens only while the session is
   * still receiving with {@code expectedCommitted} bytes, as its writer last read it; otherwise
   * another writer got there first (a node that paused past its lock) and this one must not
   * promise anything.
   *
   * @throws SessionFencedException when the session moved on or is gone; nothing was written
   */
  void recordProgress(String id, long expectedCommitted, long committed, long total,
      String blobState);

  /**
   * Completes a session in one transaction: applies {@code change} to the session's animal (empty
   * for an insert: the function creates it), writes the animal and marks the session complete
   * with it as the result. This atomicity is what makes completion happen exactly once.
   *
   * @throws SessionFencedException when the session is already complete; nothing was written
   */
  AnimalChange completeSession(String sessionId, Function<Optional<Animal>, Animal> change);

  /** Deletes a session row (cancel, expiry). */
  void deleteSession(String id);

  /** Sessions whose expiry time is at or before {@code now}. */
  List<UploadSession> expiredSessions(Instant now);

  /** Receiving (not complete) sessions of every farm, for reconciliation at start-up. */
  List<UploadSession> receivingSessions();

  /** Receiving sessions of one farm, oldest first. */
  List<UploadSession> receivingSessions(String farm);

  /** Every blob key some animal or receiving session refers to. */
  Set<String> referencedBlobKeys();

  /** Number of sessions still receiving bytes. */
  long receivingSessionCount();

  // ---- Idempotency keys of one-request uploads (header Idempotency-Key).

  /** The animal an unexpired key of this farm produced; empty when the key is new or expired. */
  Optional<String> idempotentAnimal(String farm, String key, Instant now);

  /** Records (or replaces) the animal a key produced, until {@code expireTime}. */
  void recordIdempotentAnimal(String farm, String key, String animalId, Instant expireTime);

  /** Forgets keys whose expiry time is at or before {@code now}; returns how many. */
  int deleteExpiredIdempotencyKeys(Instant now);
}
