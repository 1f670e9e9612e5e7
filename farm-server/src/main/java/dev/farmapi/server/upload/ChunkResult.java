package dev.farmapi.server.upload;

import dev.farmapi.server.store.Animal;

/** What a chunk PUT or status query leads to: more bytes wanted (308) or the finished animal (200). */
public sealed interface ChunkResult {

  /** The session wants more bytes; {@code committed} are durable. */
  record Incomplete(long committed) implements ChunkResult {
    /** The 308's {@code Range} header value, or null when no byte is held yet. */
    public String rangeHeader() {
      return committed == 0 ? null : "bytes=0-" + (committed - 1);
    }
  }

  /** The upload is complete (now, or before: completion is idempotent). */
  record Complete(Animal animal) implements ChunkResult {}
}
