package dev.farmapi.server.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A resumable upload session, as stored. Immutable; the upload state machine makes new values.
 *
 * @param id the {@code upload_id}: at least 128 random bits, a capability
 * @param farm the farm that initiated it; the session is invisible to every other farm
 * @param methodId {@code farm.animals.insert} or {@code farm.animals.update}
 * @param animalId the animal being updated, or null for an insert
 * @param fields the metadata sent at initiation, or null when none was sent
 * @param contentType the media type declared at initiation
 * @param total the declared total size, or -1 while unknown
 * @param committed bytes made durable: the offset every 308 reports
 * @param state where the session is in its life
 * @param blobKey the staging blob receiving the bytes
 * @param resultAnimalId the animal the completed upload produced, or null
 * @param blobState the blob store's state of the staging blob, recorded with {@code committed}
 *     (see {@link BlobStore}); null for a new blob or a store that keeps none
 * @param keyId the public id of the API key that started the session (null for sessions older
 *     than key ids): requests on the session that carry no key are let in only while that key
 *     is valid, so revoking it stops the session too
 */
public record UploadSession(
    String id,
    String farm,
    String methodId,
    String animalId,
    AnimalFields fields,
    String contentType,
    long total,
    long committed,
    State state,
    String blobKey,
    String resultAnimalId,
    String blobState,
    Instant createTime,
    Instant expireTime,
    String keyId) {

  /** The life of a session. Cancelled and expired sessions are deleted, so they are not states. */
  public enum State {
    RECEIVING,
    COMPLETE
  }

  public UploadSession {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(farm, "farm");
    Objects.requireNonNull(methodId, "methodId");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(blobKey, "blobKey");
  }

  public boolean totalKnown() {
    return total >= 0;
  }

  public boolean isComplete() {
    return state == State.COMPLETE;
  }

  /** This session with new progress: {@code committed} bytes durable under {@code blobState}. */
  public UploadSession withProgress(long committed, long total, String blobState) {
    return new UploadSession(id, farm, methodId, animalId, fields, contentType, total, committed,
        state, blobKey, resultAnimalId, blobState, createTime, expireTime, keyId);
  }

  public boolean isExpired(Instant now) {
    return !now.isBefore(expireTime);
  }
}
