package dev.farmapi.server.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Set;

/**
 * Durable media bytes under opaque keys. A blob is written by appending and becomes durable only
 * through {@link Appender#sync()}: the offset a 308 promises is what has been synced, never more.
 * Implementations are thread-safe across keys; one key is written by one appender at a time (the
 * upload state machine serializes each session).
 */
public interface BlobStore {

  /**
   * Opens {@code key} for appending at {@code offset}, creating it when absent (offset must then
   * be 0). Bytes past {@code offset} (written but never acknowledged before a crash) are cut off.
   */
  Appender append(String key, long offset) throws IOException;

  /** Opens a blob for reading. Throws {@link java.nio.file.NoSuchFileException} when absent. */
  SeekableByteChannel read(String key) throws IOException;

  /** The blob's current size, or -1 when it does not exist. */
  long size(String key) throws IOException;

  /** Deletes a blob; absent blobs are ignored. */
  void delete(String key) throws IOException;

  /** Every key present, for reconciliation with the metadata at start-up. */
  Set<String> keys() throws IOException;

  /** An open blob being appended to. */
  interface Appender extends WritableByteChannel, Closeable {
    /** Bytes in the blob so far (durable or not). */
    long position() throws IOException;

    /** Makes every byte written so far durable (fsync). */
    void sync() throws IOException;
  }
}
