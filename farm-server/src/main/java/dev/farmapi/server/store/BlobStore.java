package dev.farmapi.server.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Set;

/**
 * Durable media bytes under opaque keys. A blob is written by appending and becomes durable only
 * through {@link Appender#sync()}: the offset a 308 promises is what has been synced, never more.
 * A blob is readable once {@link #seal sealed}.
 *
 * <p>A store may keep a small <em>state</em> per blob under append (an S3 store: its multipart
 * upload id, the ETags of its parts, the objects that hold its staged tail). {@code sync()}
 * returns it, the caller records it with the offset in one metadata write, and hands it back to
 * the next {@link #append} and to {@link #seal}: so the offset and what makes it durable can never
 * disagree, whichever node of a cluster writes next. A store that keeps its state in the bytes
 * themselves (a local file) returns null.
 *
 * <p>Implementations are thread-safe across keys; one key is written by one appender at a time
 * (the upload state machine serializes each session).
 */
public interface BlobStore {

  /**
   * Opens {@code key} for appending at {@code offset}, creating it when absent (offset must then
   * be 0). {@code state} is what the last {@link Appender#sync()} of this blob returned (as
   * recorded with {@code offset}), or null for a new blob. Bytes past {@code offset} (written but
   * never acknowledged before a crash) are cut off, or ignored where the store keeps a state.
   */
  Appender append(String key, long offset, String state) throws IOException;

  /**
   * Makes a fully appended blob readable, from the state its last sync returned (an S3 store
   * completes its multipart upload). Idempotent: sealing a sealed blob changes nothing.
   */
  void seal(String key, String state) throws IOException;

  /** Opens a sealed blob for reading. Throws {@link java.nio.file.NoSuchFileException} when absent. */
  SeekableByteChannel read(String key) throws IOException;

  /** The size of a sealed blob, or -1 when there is none. */
  long size(String key) throws IOException;

  /**
   * The bytes durably held for a blob under append, given its recorded {@code state}; -1 when the
   * blob is absent. Start-up reconciliation compares it with the recorded offset.
   */
  long appendedSize(String key, String state) throws IOException;

  /** Deletes a blob, sealed or under append; absent blobs are ignored. */
  void delete(String key) throws IOException;

  /**
   * The keys of blobs present, sealed or under append, that are old enough to be judged by
   * start-up reconciliation: a store shared by several nodes leaves out blobs written recently,
   * which another node may be about to commit.
   */
  Set<String> keys() throws IOException;

  /** An open blob being appended to. */
  interface Appender extends WritableByteChannel, Closeable {
    /** Bytes in the blob so far (durable or not). */
    long position() throws IOException;

    /**
     * Makes every byte written so far durable (fsync, or an upload acknowledged by the object
     * store) and returns the blob's new state, to be recorded with the new offset (null for a
     * store without one).
     */
    String sync() throws IOException;
  }
}
