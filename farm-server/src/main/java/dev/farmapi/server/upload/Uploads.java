package dev.farmapi.server.upload;

import dev.farmapi.server.store.Animal;
import dev.farmapi.server.store.AnimalChange;
import dev.farmapi.server.store.AnimalFields;
import dev.farmapi.server.store.BlobStore;
import dev.farmapi.server.store.Ids;
import dev.farmapi.server.store.Media;
import dev.farmapi.server.store.SessionLocks;
import dev.farmapi.server.store.MetadataStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Media and its lifecycle: simple and multipart uploads (stage the bytes durably, then commit
 * them to an animal in one metadata write), and the reclaiming of blobs an animal no longer
 * uses. {@link ResumableSessions} builds resumable uploads on it. It knows nothing of HTTP or of
 * how bytes and rows are stored: it speaks to a {@link MetadataStore} and a {@link BlobStore}.
 */
public final class Uploads {
  private static final Logger log = LoggerFactory.getLogger(Uploads.class);

  private final MetadataStore meta;
  private final BlobStore blobs;
  private final UploadPolicy policy;
  private final Clock clock;
  /** The store's locks: requests with one Idempotency-Key wait for each other on every node. */
  private final SessionLocks idempotencyLocks;

  /** How long the animal of an {@code Idempotency-Key} is remembered. */
  public static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);
  /** Longer keys are refused: a key is an id (a UUID is 36 characters), not data. */
  static final int MAX_IDEMPOTENCY_KEY = 255;

  /** A held idempotency key: requests with the same key wait for each other. */
  public interface KeyHold extends AutoCloseable {
    @Override
    void close();
  }

  /** Uploads of one process on its own store: idempotency keys are held in-process. */
  public Uploads(MetadataStore meta, BlobStore blobs, UploadPolicy policy, Clock clock) {
    this(meta, blobs, policy, clock, SessionLocks.inProcess());
  }

  /** Uploads whose idempotency keys are held by {@code locks} (a cluster's, across nodes). */
  public Uploads(MetadataStore meta, BlobStore blobs, UploadPolicy policy, Clock clock,
      SessionLocks locks) {
    this.meta = meta;
    this.blobs = blobs;
    this.policy = policy;
    this.clock = clock;
    this.idempotencyLocks = locks;
  }

  public UploadPolicy policy() {
    return policy;
  }

  // ---- Simple and multipart uploads

  /** Fails with 404 unless the target's animal exists (inserts always pass). */
  public void requireTarget(Target target) {
    if (!target.isInsert() && meta.animal(target.farm(), target.animalId()).isEmpty()) {
      throw animalNotFound(target.animalId());
    }
  }

  /**
   * Streams media into a new durable blob. {@code length} is the declared length, or -1 to read
   * to the end of the body. Nothing is left behind when this throws.
   */
  public StagedMedia stage(String contentType, ReadableByteChannel body, long length)
      throws IOException {
    return BodyCopier.feed(body, stager(contentType, length));
  }

  /**
   * A sink that stages the media its body brings into a new durable blob, as
   * {@link #stage} does for a blocking body. {@code length} is the declared length, or -1 for
   * whatever the body brings, up to the maximum upload size.
   */
  public BodySink<StagedMedia> stager(String contentType, long length) throws IOException {
    policy.checkType(contentType);
    if (length >= 0) {
      policy.checkSize(length);
    }
    String key = Ids.blobKey();
    try {
      return new StagingSink(this, blobs, key, contentType, length, policy.maxSize());
    } catch (IOException e) {
      deleteQuietly(key);
      throw storageFailure(e);
    }
  }

  // ---- Idempotency-Key of one-request uploads

  /**
   * Serializes the requests that carry the same {@code Idempotency-Key} in one farm, so that a
   * repeat racing its original waits for it and then sees its result. A null key holds nothing.
   */
  public KeyHold holdIdempotencyKey(Target target, String key) {
    if (key == null) {
      return () -> { };
    }
    checkIdempotencyKey(key);
    // Not a session id, but the same kind of lock: the namespace keeps the two apart.
    SessionLocks.Held held = idempotencyLocks.lock("idempotency\n" + target.farm() + "\n" + key);
    return held::close;
  }

  /** Refuses a malformed {@code Idempotency-Key} (null: none, fine). */
  public static void checkIdempotencyKey(String key) {
    if (key != null && (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY)) {
      throw UploadException.invalid("invalidIdempotencyKey", "Idempotency-Key must be 1 to "
          + MAX_IDEMPOTENCY_KEY + " characters; send a new random UUID per upload");
    }
  }

  /**
   * The animal an earlier request with this key made (or updated), while it exists: the answer
   * to a repeat whose first answer was lost. Empty for a new key (or null).
   */
  public Optional<Animal> earlierResult(Target target, String key) {
    if (key == null) {
      return Optional.empty();
    }
    return meta.idempotentAnimal(target.farm(), key, now())
        .flatMap(id -> meta.animal(target.farm(), id));
  }

  /** Forgets expired idempotency keys; returns how many. */
  public int reclaimExpiredIdempotencyKeys() {
    return meta.deleteExpiredIdempotencyKeys(now());
  }

  /** Attaches staged media to the target: creates the animal or replaces its picture. */
  public Animal commit(Target target, AnimalFields fields, StagedMedia staged) {
    return commit(target, fields, staged, null);
  }

  /**
   * As {@link #commit(Target, AnimalFields, StagedMedia)}, remembering the result under
   * {@code idempotencyKey} (null: none). For an insert the key and the animal are written in one
   * transaction (never an animal without its key, which a retry would duplicate; and one commit,
   * so the key costs no fsync of its own). For an update the key is recorded after: a repeat
   * then re-applies the same update at worst.
   */
  public Animal commit(Target target, AnimalFields fields, StagedMedia staged,
      String idempotencyKey) {
    Instant now = now();
    try {
      if (target.isInsert()) {
        Animal animal = Animal.create(target.farm(), Ids.animalId(),
            fields == null ? AnimalFields.EMPTY : fields, staged.media(), now);
        if (idempotencyKey == null) {
          meta.insertAnimal(animal);
        } else {
          meta.insertAnimal(animal, idempotencyKey, now.plus(IDEMPOTENCY_TTL));
        }
        return animal;
      }
      AnimalChange change = meta
          .updateAnimal(target.farm(), target.animalId(),
              a -> replaceMedia(a, fields, staged.media(), now))
          .orElseThrow(() -> animalNotFound(target.animalId()));
      reclaim(change);
      remember(target, idempotencyKey, change.after().id(), now);
      return change.after();
    } catch (RuntimeException e) {
      discard(staged);
      throw e;
    }
  }

  private void remember(Target target, String key, String animalId, Instant now) {
    if (key != null) {
      meta.recordIdempotentAnimal(target.farm(), key, animalId, now.plus(IDEMPOTENCY_TTL));
    }
  }

  /** Forgets staged media that will not be committed. */
  public void discard(StagedMedia staged) {
    deleteQuietly(staged.media().blobKey());
  }

  /** Deletes an animal and reclaims its media. */
  public Optional<Animal> deleteAnimal(String farm, String id) {
    Optional<Animal> deleted = meta.deleteAnimal(farm, id);
    deleted.map(Animal::media).ifPresent(m -> deleteQuietly(m.blobKey()));
    return deleted;
  }

  static Animal replaceMedia(Animal animal, AnimalFields fields, Media media, Instant now) {
    Animal withFields = fields == null ? animal : animal.withFields(fields, now);
    return withFields.withMedia(media, now);
  }

  void reclaim(AnimalChange change) {
    change.replacedBlobKey().ifPresent(this::deleteQuietly);
  }

  void deleteQuietly(String key) {
    try {
      blobs.delete(key);
    } catch (IOException | UncheckedIOException e) {
      // An orphan, not a loss: start-up reconciliation deletes blobs nothing refers to.
      log.warn("could not delete blob {}: {}", key, e.toString());
    }
  }

  static UploadException animalNotFound(String id) {
    return UploadException.notFound("animal " + id + " not found");
  }

  static UploadException storageFailure(IOException e) {
    log.error("storage failure", e);
    return UploadException.storage("the bytes", e);
  }

  /**
   * Writes all of {@code bytes} to a sink's blob; when that fails, {@code drop} ends the sink
   * first (a store's I/O failure then becomes a storage failure).
   */
  static void writeAll(BlobStore.Appender out, ByteBuffer bytes, Runnable drop) {
    try {
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      drop.run();
      throw storageFailure(e);
    } catch (RuntimeException e) {
      drop.run();
      throw e;
    }
  }

  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
