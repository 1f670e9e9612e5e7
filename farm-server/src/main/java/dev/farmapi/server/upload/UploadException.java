package dev.farmapi.server.upload;

import dev.farmapi.server.store.StoreException;

/**
 * A failure of an upload, in the upload's own terms: what went wrong ({@link Kind}), a
 * machine-readable {@code reason} (the protocol's reason codes, e.g. {@code invalidChunkSize})
 * and a message that says what would be right. The state machine knows no HTTP; the HTTP layer
 * turns each kind into a status in one place.
 */
public final class UploadException extends RuntimeException {
  /** What kind of failure, from the client's point of view. */
  public enum Kind {
    /** The request contradicts the protocol or the session (a bad chunk size, a changed total). */
    INVALID,
    /** The session or animal does not exist (never did, cancelled, expired, deleted). */
    NOT_FOUND,
    /** The media is larger than this server accepts. */
    TOO_LARGE,
    /** The media type is not accepted. */
    UNSUPPORTED_TYPE,
    /** The operation cannot apply in the session's state (cancel a completed upload). */
    CONFLICT,
    /** Another writer changed the session meanwhile (the fence held): ask again and resume. */
    CONTENDED,
    /** The server's storage is full; nothing was promised. */
    STORAGE_FULL,
    /** The server's storage failed; nothing was promised. */
    STORAGE_FAILED
  }

  private final Kind kind;
  private final String reason;

  public UploadException(Kind kind, String reason, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.reason = reason;
  }

  public Kind kind() {
    return kind;
  }

  public String reason() {
    return reason;
  }

  static UploadException invalid(String reason, String message) {
    return new UploadException(Kind.INVALID, reason, message);
  }

  static UploadException notFound(String message) {
    return new UploadException(Kind.NOT_FOUND, "notFound", message);
  }

  static UploadException tooLarge(String message) {
    return new UploadException(Kind.TOO_LARGE, "uploadTooLarge", message);
  }

  /**
   * A failure of the server's own storage while storing {@code what}: the disk or database is
   * full, or a write, fsync or transaction failed. Nothing was promised to the client.
   */
  public static UploadException storage(String what, Throwable cause) {
    if (StoreException.isDiskFull(cause)) {
      return new UploadException(Kind.STORAGE_FULL, "insufficientStorage", "the server's storage"
          + " is full and could not store " + what + "; nothing was lost, retry later");
    }
    return new UploadException(Kind.STORAGE_FAILED, "backendError", "the server's storage failed"
        + " to store " + what + " (" + cause.getMessage() + "); nothing was lost, retry later");
  }
}
