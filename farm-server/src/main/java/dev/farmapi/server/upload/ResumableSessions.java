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
   * Handles a chunk PUT or a status query ({@link ChunkRange#isQuery()}) on a session.
   * {@code contentLength} is the declared body length or -1.
   *
   * @throws IOException when the body broke; the bytes that did arrive are kept and recorded
   */
  public ChunkResult put(UploadSession session, ChunkRange range, long contentLength,
      ReadableByteChannel body) throws IOException {
    if (range.isQuery()) {
      Optional<ChunkResult> answer = queryWithoutLock(session, range);
      if (answer.isPresent()) {
        return answer.get();
      }
    }
    try (SessionLocks.Held held = locks.lock(session.id())) {
      UploadSession s = session(session.id(), session.farm()); // fresh, now that we hold it
      if (s.isComplete()) {
        return completed(s);
      }
      long total = newTotal(s, range);
      if (range.isQuery()) {
        if (total == s.committed()) {
          return finish(s, total);
        }
        if (total != s.total()) {
          record(s, s.committed(), total, s.blobState());
        }
        return new ChunkResult.Incomplete(s.committed());
      }
      checkChunk(range, contentLength, total);
      if (range.first() > s.committed()) {
        return new ChunkResult.Incomplete(s.committed()); // a gap: the client must rewind
      }
      UploadSession now = receive(s, range, total, contentLength, body);
      if (now.committed() == total) {
        return finish(now, total);
      }
      return new ChunkResult.Incomplete(now.committed());
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

  private void checkChunk(ChunkRange range, long contentLength, long total) {
    long length = range.length();
    if (contentLength >= 0 && contentLength != length) {
      throw UploadException.invalid("invalidContentLength", "Content-Length " + contentLength
          + " disagrees with Content-Range " + range + " (" + length + " bytes); send exactly"
          + " the bytes the range names");
    }
    boolean last = total >= 0 && range.last() + 1 == total;
    if (!last && (total < 0 || total > CHUNK_GRANULARITY) && length % CHUNK_GRANULARITY != 0) {
      throw UploadException.invalid("invalidChunkSize", "chunk " + range + " is " + length
          + " bytes; every chunk but the last must be a multiple of 262144 bytes (256 KiB)");
    }
    if (total < 0) {
      policy.checkSize(range.last() + 1);
    }
  }

  /**
   * Appends the new part of a chunk durably, records it and returns the session as recorded now
   * (its offset and the blob state that holds it, which completion seals).
   */
  private UploadSession receive(UploadSession s, ChunkRange range, long total, long contentLength,
      ReadableByteChannel body) throws IOException {
    long skip = s.committed() - range.first();
    if (skip >= range.length()) {
      return s; // a resend of bytes we hold: nothing to write
    }
    MediaHasher hasher = hashers.remove(s.id());
    if (s.committed() == 0) {
      hasher = new MediaHasher();
    } else if (hasher != null && hasher.length() != s.committed()) {
      hasher = null;
    }
    BodyCopier.BodyFailure failure = null;
    long committed;
    String state;
    try (BlobStore.Appender out = blobs.append(s.blobKey(), s.committed(), s.blobState())) {
      try {
        BodyCopier.skip(body, skip);
        BodyCopier.copy(body, range.length() - skip, -1, out, hasher);
        if (contentLength < 0 && BodyCopier.hasMore(body)) {
          // A chunked or encoded body has no length to check up front. Nothing is synced or
          // recorded, so the next append cuts what was written.
          throw UploadException.invalid("invalidContentRange", "the body carries more bytes than"
              + " Content-Range " + range + " names; send exactly those bytes");
        }
      } catch (BodyCopier.BodyFailure f) {
        failure = f; // keep what arrived: it is the client's, in order, at the right offset
      }
      state = out.sync(); // the Range we report is a promise
      committed = out.position();
    } catch (IOException e) {
      throw Uploads.storageFailure(e);
    }
    UploadSession now = s;
    if (committed != s.committed()) {
      record(s, committed, total, state);
      now = s.withProgress(committed, total, state);
    }
    if (hasher != null && hasher.length() == committed) {
      hashers.put(s.id(), hasher);
    }
    if (failure != null) {
      throw failure.io();
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

  private ChunkResult finish(UploadSession s, long total) {
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
