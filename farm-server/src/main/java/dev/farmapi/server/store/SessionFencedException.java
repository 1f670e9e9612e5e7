package dev.farmapi.server.store;

/**
 * A session write that found the session no longer as its writer last saw it: another writer
 * (another node that took the session over while this one was paused, past its lock) recorded
 * progress or completed it first. Nothing was written; the writer must not promise anything.
 */
public final class SessionFencedException extends RuntimeException {
  public SessionFencedException(String sessionId) {
    super("upload session " + sessionId + " was changed by another writer", null, false, false);
  }
}
