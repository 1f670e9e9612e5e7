package dev.farmapi.server.upload;

import dev.farmapi.server.store.Animal;
import dev.farmapi.server.store.AnimalChange;
import dev.farmapi.server.store.AnimalFields;
import dev.farmapi.server.store.BlobStore;
import dev.farmapi.server.store.Ids;
import dev.farmapi.server.store.Media;
import dev.farmapi.server.store.MetadataStore;
import dev.farmapi.server.store.SessionLocks;
import dev.farmapi.server.store.SessionFencedException;
import dev.farmapi.server.store.UploadSession;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resumable upload state machine: initiate, chunks and status queries, completion, cancel,
 * expiry, and reconciliation with the store after a crash.
 *
 * <p>The promises, in the order the code keeps them: a session's bytes are fsynced before its
 * offset is recorded, and the offset is recorded before it is reported; completion writes the
 * animal and marks the session complete in one transaction, so it happens once; requests on one
 * session are serialized by {@link SessionLocks}, except status queries that change nothing,
 * which read the recorded offset without waiting for a chunk in flight. Every session write is
 * fenced by the offset its writer read, so a writer that lost its lock (another node took the
 * session over) fails instead of reporting bytes it does not hold.
 *
 * <p>It knows no HTTP: it returns a {@link ChunkResult} or throws an {@link UploadException}.
 */
public final class ResumableSessions {
  /** Non-final chunks of an upload larger than this must be multiples of it. */
  public static final long CHUNK_GRANULARITY = 256 * 1024;

  private static final Logger log = LoggerFactory.getLogger(ResumableSessions.class);

  private final MetadataStore meta;
  private final BlobStore blobs;
  private final Uploads uploads;
  private final UploadPolicy policy;
  private final SessionLocks locks;
  /** Running hashes of live sessions; a missing or stale one is recomputed from the blob. */
  private final Map<String, MediaHasher> hashers = new ConcurrentHashMap<>();

  public ResumableSessions(MetadataStore meta, BlobStore blobs, Uploads uploads,
      SessionLocks locks) {
    this.meta = meta;
    this.blobs = blobs;
    this.uploads = uploads;
    this.policy = uploads.policy();
    this.locks = locks;
  }

  /**
   * Starts a resumable session. {@code total} is -1 when the size is not known yet; {@code keyId}
   * is the public id of the API key that starts it, remembered so that revoking the key stops
   * the session too.
   */
  public UploadSession initiate(Target target, AnimalFields fields, String contentType, long total,
      String keyId) {
    policy.checkType(contentType);
    if (total >= 0) {
      policy.checkSize(total);
    }
    uploads.requireTarget(target);
    Instant now = uploads.now();
    UploadSession session = new UploadSession(Ids.uploadId(), target.farm(), target.methodId(),
        target.animalId(), fields, contentType, total, 0, UploadSession.State.RECEIVING,
        Ids.blobKey(), null, null, now, now.plus(policy.sessionTtl()), keyId);
    meta.insertSession(session);
    return session;
  }

  /**
   * The session an {@code upload_id} names. 404 when it is unknown, expired, or belongs to a
   * farm other than {@code farm} (null when the request carried no key: the id is the
   * capability).
   */
  public UploadSession session(String uploadId, String farm) {
    Optional<UploadSession> found = Ids.isWellFormed(uploadId)
        ? meta.session(uploadId).filter(s -> farm == null || s.farm().equals(farm))
        : Optional.empty();
    if (found.isEmpty() || found.get().isExpired(uploads.now())) {
      // Quoted short: the id is whatever the client put in the URI, up to the header limit.
      String shown = uploadId.length() <= 64 ? uploadId : uploadId.substring(0, 64) + "...";
      throw UploadException.notFound("no upload session " + shown
          + " (it never existed, was cancelled or expired); start the upload again");
    }
    return found.get();
  }

  /**
   * Handles a chunk PUT or a status query ({@link ChunkRange#isQuery()}) on a session, reading
   * its body from a blocking channel. {@code contentLength} is the declared body length or -1.
   *
   * @throws IOException when the body broke; the bytes that did arrive are kept and recorded
   */
  public ChunkResult put(UploadSession session, ChunkRange range, long contentLength,
      ReadableByteChannel body) throws IOException {
    Receipt receipt = begin(session, range, contentLength);
    return receipt.sink() == null ? receipt.answer() : BodyCopier.feed(body, receipt.sink());
  }

  /**
   * The start of a chunk PUT or status query whose body is pushed in afterwards: either the
   * answer, when the body is not needed, or the sink that takes the body.
   *
   * @param answer the result when no body is needed (a query, a gap, bytes the session holds,
   *     a completed upload), else null
   * @param sink takes the chunk's body, holding the session's lock until it ends; else null
   */
  public record Receipt(ChunkResult answer, BodySink<ChunkResult> sink) {}

  /**
   * Answers what a chunk PUT's headers and the recorded session already decide, before its body
   * arrives and without the session's lock: a completed upload, bytes the session already holds
   * and a gap are answered from the recorded offset (as a status query is), and a chunk its
   * headers make invalid is refused. Empty when the body is needed; {@link #begin} then decides
   * again, under the lock, on the session as it is by then. Nothing is written here.
   */
  public Optional<ChunkResult> precheck(UploadSession session, ChunkRange range,
      long contentLength) {
    if (range.isQuery()) {
      return Optional.empty(); // begin() answers queries, mostly without the lock
    }
    UploadSession s = session(session.id(), session.farm());
    if (s.isComplete()) {
      return Optional.of(completed(s));
    }
    long total = newTotal(s, range); // a known total never changes: its conflicts are final
    checkLength(range, contentLength);
    if (total >= 0) {
      checkChunk(range, contentLength, total);
    } // else a total may still become known and make this chunk the valid last one
    long committed = s.committed();
    if (committed == total) {
      return Optional.empty(); // only the lock's holder may complete it
    }
    if (range.first() > committed || committed - range.first() >= range.length()) {
      return Optional.of(new ChunkResult.Incomplete(committed)); // a gap, or a resend of bytes held
    }
    return Optional.empty();
  }

  /**
   * Starts a chunk PUT or status query under the session's lock: re-reads the session, checks
   * the chunk, and answers at once when it needs no body; else opens the blob at the recorded
   * offset and returns the sink for the body, which holds the lock until it ends.
   */
  public Receipt begin(UploadSession session, ChunkRange range, long contentLength) {
    if (range.isQuery()) {
      Optional<ChunkResult> answer = queryWithoutLock(session, range);
      if (answer.isPresent()) {
        return new Receipt(answer.get(), null);
      }
    }
    SessionLocks.Held held = locks.lock(session.id());
    boolean handedOver = false;
    try {
      UploadSession s = session(session.id(), session.farm()); // fresh, now that we hold it
      if (s.isComplete()) {
        return new Receipt(completed(s), null);
      }
      long total = newTotal(s, range);
      if (range.isQuery()) {
        if (total == s.committed()) {
          return new Receipt(finish(s, total), null);
        }
        if (total != s.total()) {
          record(s, s.committed(), total, s.blobState());
        }
        return new Receipt(new ChunkResult.Incomplete(s.committed()), null);
      }
      checkChunk(range, contentLength, total);
      if (range.first() > s.committed()) {
        return new Receipt(new ChunkResult.Incomplete(s.committed()), null); // a gap: rewind
      }
      if (s.committed() - range.first() >= range.length()) {
        // A resend of bytes we hold: nothing to write.
        return new Receipt(s.committed() == total ? finish(s, total)
            : new ChunkResult.Incomplete(s.committed()), null);
      }
      BlobStore.Appender out;
      try {
        out = blobs.append(s.blobKey(), s.committed(), s.blobState());
      } catch (IOException e) {
        throw Uploads.storageFailure(e);
      }
      Receipt receipt = new Receipt(null,
          new ChunkReceiver(this, held, s, range, total, contentLength, out, runningHash(s)));
      handedOver = true;
      return receipt;
    } finally {
      if (!handedOver) {
        held.close();
      }
    }
  }

  /**
   * Answers a status query that changes nothing from the recorded offset, without waiting for
   * the session's lock: a chunk PUT holds that lock while its body trickles in or stalls (up to
   * the body timeout), and what it has not recorded yet is not durable, so the query has nothing
   * to wait for. Empty when the query must finish the upload or record a total: that takes the
   * lock.
   */
  private Optional<ChunkResult> queryWithoutLock(UploadSession session, ChunkRange range) {
    UploadSession s = session(session.id(), session.farm());
    if (s.isComplete()) {
      return Optional.of(completed(s));
    }
    long total = newTotal(s, range);
    if (total == s.committed() || total != s.total()) {
      return Optional.empty();
    }
    return Optional.of(new ChunkResult.Incomplete(s.committed()));
  }

  /** Cancels a session and drops its bytes. A completed upload cannot be cancelled (409). */
  public void cancel(UploadSession session) {
    try (SessionLocks.Held held = locks.lock(session.id())) {
      UploadSession s = session(session.id(), session.farm());
      if (s.isComplete()) {
        throw new UploadException(UploadException.Kind.CONFLICT, "uploadComplete", "upload " + s.id()
            + " already completed as animal " + s.resultAnimalId() + "; delete the animal instead");
      }
      forget(s);
    }
  }

  /**
   * Deletes expired sessions and the bytes of those never completed, and expired idempotency
   * keys of one-request uploads. Returns how many sessions.
   */
  public int reclaimExpired() {
    uploads.reclaimExpiredIdempotencyKeys();
    int reclaimed = 0;
    for (UploadSession expired : meta.expiredSessions(uploads.now())) {
      try (SessionLocks.Held held = locks.lock(expired.id())) {
        if (expired.isComplete()) {
          meta.deleteSession(expired.id()); // its blob belongs to the animal now
        } else {
          forget(expired);
        }
        reclaimed++;
      }
    }
    return reclaimed;
  }

  /**
   * Brings blobs in line with metadata after a crash; run before serving. Bytes written past a
   * session's recorded offset were never acknowledged and are cut; blobs nothing refers to
   * (an upload that died before its commit) are deleted.
   */
  public void reconcile() throws IOException {
    for (UploadSession s : meta.receivingSessions()) {
      long size = blobs.appendedSize(s.blobKey(), s.blobState());
      if (size > s.committed()) {
        blobs.append(s.blobKey(), s.committed(), s.blobState()).close(); // truncates
        log.info("session {}: cut {} unacknowledged bytes", s.id(), size - s.committed());
      } else if (size < s.committed() && s.committed() > 0) {
        // Only a disk that broke fsync's promise gets here; report the truth we still have.
        long kept = Math.max(size, 0);
        log.error("session {}: blob holds {} bytes but {} were acknowledged", s.id(), kept,
            s.committed());
        try {
          meta.recordProgress(s.id(), s.committed(), kept, s.total(), s.blobState());
        } catch (SessionFencedException e) {
          log.info("session {} moved on meanwhile (another node)", s.id());
        }
      }
    }
    var referenced = meta.referencedBlobKeys();
    for (String key : blobs.keys()) {
      if (!referenced.contains(key)) {
        blobs.delete(key);
        log.info("deleted orphaned blob {}", key);
      }
    }
    reclaimExpired();
  }

  private long newTotal(UploadSession s, ChunkRange range) {
    if (!range.totalKnown()) {
      return s.total();
    }
    if (s.totalKnown() && range.total() != s.total()) {
      throw UploadException.invalid("totalChanged", "Content-Range total " + range.total()
          + " differs from this upload's total of " + s.total() + " bytes; it cannot change");
    }
    if (range.total() < s.committed()) {
      throw UploadException.invalid("totalChanged", "Content-Range total " + range.total()
          + " is less than the " + s.committed() + " bytes already received");
    }
    policy.checkSize(range.total());
    return range.total();
  }

  private static void checkLength(ChunkRange range, long contentLength) {
    if (contentLength >= 0 && contentLength != range.length()) {
      throw UploadException.invalid("invalidContentLength", "Content-Length " + contentLength
          + " disagrees with Content-Range " + range + " (" + range.length() + " bytes); send"
          + " exactly the bytes the range names");
    }
  }

  private void checkChunk(ChunkRange range, long contentLength, long total) {
    checkLength(range, contentLength);
    long length = range.length();
    boolean last = total >= 0 && range.last() + 1 == total;
    if (!last && (total < 0 || total > CHUNK_GRANULARITY) && length % CHUNK_GRANULARITY != 0) {
      throw UploadException.invalid("invalidChunkSize", "chunk " + range + " is " + length
          + " bytes; every chunk but the last must be a multiple of 262144 bytes (256 KiB)");
    }
    if (total < 0) {
      policy.checkSize(range.last() + 1);
    }
  }

  /** The session's running hash, if it still matches its offset (a fresh one at offset 0). */
  private MediaHasher runningHash(UploadSession s) {
    MediaHasher hasher = hashers.remove(s.id());
    if (s.committed() == 0) {
      return new MediaHasher();
    }
    return hasher != null && hasher.length() == s.committed() ? hasher : null;
  }

  /**
   * Records bytes a chunk made durable ({@code committed}, in blob state {@code state}), fenced
   * by the offset {@code s} was read with, keeps the running hash when it matches, and returns
   * the session as recorded now.
   */
  UploadSession recordReceived(UploadSession s, long committed, long total, String state,
      MediaHasher hasher) {
    UploadSession now = s;
    if (committed != s.committed()) {
      record(s, committed, total, state);
      now = s.withProgress(committed, total, state);
    }
    if (hasher != null && hasher.length() == committed) {
      hashers.put(s.id(), hasher);
    }
    return now;
  }

  /** Records progress, fenced by the offset {@code s} was read with. */
  private void record(UploadSession s, long committed, long total, String blobState) {
    try {
      meta.recordProgress(s.id(), s.committed(), committed, total, blobState);
    } catch (SessionFencedException e) {
      throw contended(s);
    }
  }

  private static UploadException contended(UploadSession s) {
    return new UploadException(UploadException.Kind.CONTENDED, "sessionContended", "upload "
        + s.id() + " was changed by another request meanwhile; query its status and resume");
  }

  ChunkResult finish(UploadSession s, long total) {
    Media media = media(s, total);
    Instant now = uploads.now();
    AnimalChange change;
    try {
      change = complete(s, media, now);
    } catch (SessionFencedException e) {
      // Another writer completed it first: the same animal is the answer.
      return completed(session(s.id(), s.farm()));
    }
    uploads.reclaim(change);
    return new ChunkResult.Complete(change.after());
  }

  private AnimalChange complete(UploadSession s, Media media, Instant now) {
    return meta.completeSession(s.id(), before -> {
      if (s.animalId() == null) {
        return Animal.create(s.farm(), Ids.animalId(),
            s.fields() == null ? AnimalFields.EMPTY : s.fields(), media, now);
      }
      Animal animal = before.orElseThrow(() -> Uploads.animalNotFound(s.animalId()));
      return Uploads.replaceMedia(animal, s.fields(), media, now);
    });
  }

  private Media media(UploadSession s, long total) {
    MediaHasher hasher = hashers.remove(s.id());
    try {
      String state = s.blobState();
      if (total == 0) {
        try (BlobStore.Appender out = blobs.append(s.blobKey(), 0, null)) {
          state = out.sync(); // an empty upload still gets its (empty) blob
        }
      }
      blobs.seal(s.blobKey(), state); // readable before any animal can point at it
      if (hasher == null || hasher.length() != total) {
        try (SeekableByteChannel blob = blobs.read(s.blobKey())) {
          hasher = MediaHasher.of(blob); // the running hash died with a previous process
        }
      }
    } catch (IOException e) {
      throw Uploads.storageFailure(e);
    }
    return new Media(s.blobKey(), s.contentType(), total, hasher.md5(), hasher.crc32c());
  }

  private ChunkResult completed(UploadSession s) {
    return meta.animal(s.farm(), s.resultAnimalId())
        .<ChunkResult>map(ChunkResult.Complete::new)
        .orElseThrow(() -> UploadException.notFound("upload " + s.id() + " completed as animal "
            + s.resultAnimalId() + ", which has since been deleted"));
  }

  private void forget(UploadSession s) {
    meta.deleteSession(s.id());
    hashers.remove(s.id());
    uploads.deleteQuietly(s.blobKey());
  }

}
