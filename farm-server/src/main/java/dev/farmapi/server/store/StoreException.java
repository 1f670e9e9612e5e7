package dev.farmapi.server.store;

/** A metadata store failure (disk full, I/O error, corrupt database): the request fails with 5xx. */
public final class StoreException extends RuntimeException {
  public StoreException(Throwable cause) {
    super(cause.getMessage(), cause);
  }
}
