package dev.farmapi.server.upload;

import dev.farmapi.server.ApiException;
import dev.farmapi.server.http.ContentRange;
import dev.farmapi.server.store.Animal;
import dev.farmapi.server.store.AnimalChange;
import dev.farmapi.server.store.AnimalFields;
import dev.farmapi.server.store.BlobStore;
import dev.farmapi.server.store.Ids;
import dev.farmapi.server.store.Media;
import dev.farmapi.server.store.MetadataStore;
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
 * session are serialized by a per-session lock, except status queries that change nothing,
 * which read the recorded offset without waiting for a chunk in flight.
 */
public final class ResumableSessions {
  /** Non-final chunks of an upload larger than this must be multiples of it. */
  public static final long CHUNK_GRANULARITY = 256 * 1024;

  private static final Logger log = LoggerFactory.getLogger(ResumableSessions.class);

  private final MetadataStore meta;
  private final BlobStore blobs;
  private final Uploads uploads;
  private final UploadPolicy policy;
  private final KeyedLocks locks = new KeyedLocks();
  /** Running hashes of live sessions; a missing or stale one is recomputed from the blob. */
  private final Map<String, MediaHasher> hashers = new ConcurrentHashMap<>();

  public ResumableSessions(MetadataStore meta, BlobStore blobs, Uploads uploads) {
    this.meta = meta;
    this.blobs = blobs;
    this.uploads = uploads;
    this.policy = uploads.policy();
  }

  /**
   * Starts a resumable session. {@code total} is -1 when the size is not known yet; {@code keyId}
   * is the public id of the API key that starts it, remembered so that revoking the key stops
   * the session too.
   */
  public UploadSession initiate(Target target, AnimalFields fields, String contentType, long total,
      String retryTestId, String keyId) {
    policy.checkType(contentType);
    if (total >= 0) {
      policy.checkSize(total);
    }
    uploads.requireTarget(target);
    Instant now = uploads.now();
    UploadSession session = new UploadSession(Ids.uploadId(), target.farm(), target.methodId(),
        target.animalId(), fields, contentType, total, 0, UploadSession.State.RECEIVING,
        Ids.blobKey(), null, retryTestId, now, now.plus(policy.sessionTtl()), keyId);
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
      throw ApiException.notFound("no upload session " + shown
          + " (it never existed, was cancelled or expired); start the upload again");
    }
    return found.get();
  }

  /**
   * Handles a chunk PUT or a status query ({@link ContentRange#isQuery()}) on a session.
   * {@code contentLength} is the declared body length or -1.
   *
   * @throws IOException when the body broke; the bytes that did arrive are kept and recorded
   */
  public ChunkResult put(UploadSession session, ContentRange range, long contentLength,
      ReadableByteChannel body) throws IOException {
    if (range.isQuery()) {
      Optional<ChunkResult> answer = queryWithoutLock(session, range);
      if (answer.isPresent()) {
        return answer.get();
      }
    }
    try (KeyedLocks.Held held = locks.lock(session.id())) {
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
          meta.updateProgress(s.id(), s.committed(), total);
        }
        return new ChunkResult.Incomplete(s.committed());
      }
      checkChunk(range, contentLength, total);
      if (range.first() > s.committed()) {
        return new ChunkResult.Incomplete(s.committed()); // a gap: the client must rewind
      }
      long committed = receive(s, range, total, contentLength, body);
      if (committed == total) {
        return finish(s, total);
      }
      return new ChunkResult.Incomplete(committed);
    }
  }

  /**
   * Answers a status query that changes nothing from the recorded offset, without waiting for
   * the session's lock: a chunk PUT holds that lock while its body trickles in or stalls (up to
   * the body timeout), and what it has not recorded yet is not durable, so the query has nothing
   * to wait for. Empty when the query must finish the upload or record a total: that takes the
   * lock.
   */
  private Optional<ChunkResult> queryWithoutLock(UploadSession session, ContentRange range) {
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
    try (KeyedLocks.Held held = locks.lock(session.id())) {
      UploadSession s = session(session.id(), session.farm());
      if (s.isComplete()) {
        throw new ApiException(409, "uploadComplete", "upload " + s.id()
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
      try (KeyedLocks.Held held = locks.lock(expired.id())) {
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
      long size = blobs.size(s.blobKey());
      if (size > s.committed()) {
        blobs.append(s.blobKey(), s.committed()).close(); // truncates
        log.info("session {}: cut {} unacknowledged bytes", s.id(), size - s.committed());
      } else if (size < s.committed() && s.committed() > 0) {
        // Only a disk that broke fsync's promise gets here; report the truth we still have.
        long kept = Math.max(size, 0);
        log.error("session {}: blob holds {} bytes but {} were acknowledged", s.id(), kept,
            s.committed());
        meta.updateProgress(s.id(), kept, s.total());
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

  private long newTotal(UploadSession s, ContentRange range) {
    if (!range.totalKnown()) {
      return s.total();
    }
    if (s.totalKnown() && range.total() != s.total()) {
      throw ApiException.badRequest("totalChanged", "Content-Range total " + range.total()
          + " differs from this upload's total of " + s.total() + " bytes; it cannot change");
    }
    if (range.total() < s.committed()) {
      throw ApiException.badRequest("totalChanged", "Content-Range total " + range.total()
          + " is less than the " + s.committed() + " bytes already received");
    }
    policy.checkSize(range.total());
    return range.total();
  }

  private void checkChunk(ContentRange range, long contentLength, long total) {
    long length = range.length();
    if (contentLength >= 0 && contentLength != length) {
      throw ApiException.badRequest("invalidContentLength", "Content-Length " + contentLength
          + " disagrees with Content-Range " + range + " (" + length + " bytes); send exactly"
          + " the bytes the range names");
    }
    boolean last = total >= 0 && range.last() + 1 == total;
    if (!last && (total < 0 || total > CHUNK_GRANULARITY) && length % CHUNK_GRANULARITY != 0) {
      throw ApiException.badRequest("invalidChunkSize", "chunk " + range + " is " + length
          + " bytes; every chunk but the last must be a multiple of 262144 bytes (256 KiB)");
    }
    if (total < 0) {
      policy.checkSize(range.last() + 1);
    }
  }

  /** Appends the new part of a chunk durably, records it and returns the new offset. */
  private long receive(UploadSession s, ContentRange range, long total, long contentLength,
      ReadableByteChannel body) throws IOException {
    long skip = s.committed() - range.first();
    if (skip >= range.length()) {
      return s.committed(); // a resend of bytes we hold: nothing to write
    }
    MediaHasher hasher = hashers.remove(s.id());
    if (s.committed() == 0) {
      hasher = new MediaHasher();
    } else if (hasher != null && hasher.length() != s.committed()) {
      hasher = null;
    }
    BodyCopier.BodyFailure failure = null;
    long committed;
    try (BlobStore.Appender out = blobs.append(s.blobKey(), s.committed())) {
      try {
        BodyCopier.skip(body, skip);
        BodyCopier.copy(body, range.length() - skip, -1, out, hasher);
        if (contentLength < 0 && BodyCopier.hasMore(body)) {
          // A chunked or encoded body has no length to check up front. Nothing is synced or
          // recorded, so the next append cuts what was written.
          throw ApiException.badRequest("invalidContentRange", "the body carries more bytes than"
              + " Content-Range " + range + " names; send exactly those bytes");
        }
      } catch (BodyCopier.BodyFailure f) {
        failure = f; // keep what arrived: it is the client's, in order, at the right offset
      }
      out.sync(); // the Range we report is a promise
      committed = out.position();
    } catch (IOException e) {
      throw Uploads.storageFailure(e);
    }
    if (committed != s.committed()) {
      meta.updateProgress(s.id(), committed, total);
    }
    if (hasher != null && hasher.length() == committed) {
      hashers.put(s.id(), hasher);
    }
    if (failure != null) {
      throw failure.io();
    }
    return committed;
  }

  private ChunkResult finish(UploadSession s, long total) {
    Media media = media(s, total);
    Instant now = uploads.now();
    AnimalChange change = meta.completeSession(s.id(), before -> {
      if (s.animalId() == null) {
        return Animal.create(s.farm(), Ids.animalId(),
            s.fields() == null ? AnimalFields.EMPTY : s.fields(), media, now);
      }
      Animal animal = before.orElseThrow(() -> Uploads.animalNotFound(s.animalId()));
      return Uploads.replaceMedia(animal, s.fields(), media, now);
    });
    uploads.reclaim(change);
    return new ChunkResult.Complete(change.after());
  }

  private Media media(UploadSession s, long total) {
    MediaHasher hasher = hashers.remove(s.id());
    try {
      if (total == 0) {
        try (BlobStore.Appender out = blobs.append(s.blobKey(), 0)) {
          out.sync(); // an empty upload still gets its (empty) blob
        }
      }
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
        .orElseThrow(() -> ApiException.notFound("upload " + s.id() + " completed as animal "
            + s.resultAnimalId() + ", which has since been deleted"));
  }

  private void forget(UploadSession s) {
    meta.deleteSession(s.id());
    hashers.remove(s.id());
    uploads.deleteQuietly(s.blobKey());
  }

}
