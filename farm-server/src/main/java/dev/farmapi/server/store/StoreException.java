package dev.farmapi.server.store;

/** A metadata store failure (disk full, I/O error, corrupt database): the request fails with 5xx. */
public final class StoreException extends RuntimeException {
  public StoreException(Throwable cause) {
    super(cause.getMessage(), cause);
  }

  /** Whether {@code cause} (or a cause of it) says the disk or database is full. */
  public static boolean isDiskFull(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("No space left on device") || m.contains("Disk quota exceeded")
          || m.contains("SQLITE_FULL") || m.contains("could not extend file")
          || (t instanceof java.sql.SQLException sql
              && (sql.getErrorCode() == 13 || "53100".equals(sql.getSQLState())))) {
        return true; // 13 is SQLITE_FULL; 53100 is PostgreSQL's disk_full
      }
    }
    return false;
  }
}
