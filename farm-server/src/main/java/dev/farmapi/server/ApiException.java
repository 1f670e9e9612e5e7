package dev.farmapi.server;

/**
 * The server's one error model: a failure the client is told about, as a Google-style JSON error.
 *
 * <p>{@code status} is the HTTP status, {@code reason} the machine-readable reason of
 * {@code error.errors[0].reason}, and the message says what was wrong and what would be right.
 * Thrown anywhere below the HTTP layer (parsers, the upload state machine) and rendered once, by
 * the router.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String reason;

  public ApiException(int status, String reason, String message) {
    super(message, null, false, false);
    this.status = status;
    this.reason = reason;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  public static ApiException badRequest(String reason, String message) {
    return new ApiException(400, reason, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "notFound", message);
  }

  /**
   * A failure of the server's own storage (the blob disk or the database) while serving
   * {@code what}: a 503 {@code UNAVAILABLE}, which every client retries, with the reason
   * {@code insufficientStorage} when the disk is full (ENOSPC, SQLITE_FULL) and
   * {@code backendError} otherwise (a failed write, fsync or transaction). Nothing was promised
   * to the client: the offsets and animals it can see are unchanged.
   */
  public static ApiException storageFailure(String what, Throwable cause) {
    if (dev.farmapi.server.store.StoreException.isDiskFull(cause)) {
      return new ApiException(503, "insufficientStorage", "the server's storage is full and "
          + "could not store " + what + "; nothing was lost, retry later");
    }
    return new ApiException(503, "backendError", "the server's storage failed to store " + what
        + " (" + cause.getMessage() + "); nothing was lost, retry later");
  }

  /** The gRPC-style status name Google APIs put in {@code error.status}. */
  public String statusName() {
    return switch (status) {
      case 400, 411, 413, 415, 431 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404, 410 -> "NOT_FOUND";
      case 405, 501 -> "UNIMPLEMENTED";
      case 408, 504 -> "DEADLINE_EXCEEDED";
      case 409, 412 -> "FAILED_PRECONDITION";
      case 416 -> "OUT_OF_RANGE";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 499 -> "CANCELLED";
      case 502, 503 -> "UNAVAILABLE";
      default -> status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
    };
  }
}
