package dev.farmapi.apiclient.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Where a download's bytes go, in order, each exactly once: a file (through a partial file that
 * survives the process) or a stream. The downloader owns the protocol; a sink owns the local
 * side, and its failures are the local side's (never retried).
 */
public interface DownloadSink extends Closeable {

  /**
   * Prepares the destination and tells what an earlier process left that this download can
   * continue: {@link PartialDownload#NONE} when nothing.
   */
  PartialDownload open() throws IOException;

  /** The bytes {@link #open()} found, from the first; for rehashing them. */
  ReadableByteChannel readBack() throws IOException;

  /** Appends all the buffer's remaining bytes. */
  void write(ByteBuffer bytes) throws IOException;

  /**
   * Forgets every byte written, for a download that starts over from 0 because the media
   * changed; a destination that cannot take bytes back throws
   * {@link dev.farmapi.apiclient.ResumableDownloadError}.
   */
  void restart() throws IOException;

  /** Records which media version the bytes belong to, before any of its bytes are written. */
  void remember(PartialDownload version) throws IOException;

  /** The media is complete and verified: makes it durable and puts it in place. */
  void commit() throws IOException;

  /** The bytes are wrong: removes what can be removed. */
  void discard() throws IOException;

  /** Releases the destination, keeping what a later download can continue from. */
  @Override
  void close() throws IOException;
}
