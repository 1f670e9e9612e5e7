package dev.farmapi.apiclient.internal;

import dev.farmapi.apiclient.ResumableDownloadError;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;

/**
 * A download into the caller's stream. It cannot take bytes back, so a media that changes after
 * the first byte went out fails the download, and a checksum mismatch leaves the bytes with the
 * caller (who learns of it from the exception). The stream is flushed at the end, never closed:
 * it is the caller's.
 */
public final class StreamDownloadSink implements DownloadSink {
  /** An OutputStream takes arrays: a direct buffer is copied out this much per write. */
  private static final int COPY_SIZE = 64 * 1024;

  private final OutputStream out;
  private byte[] copy; // for direct buffers (plain HTTP): one array, made on first use
  private long written;

  private StreamDownloadSink(OutputStream out) {
    this.out = out;
  }

  public static StreamDownloadSink of(OutputStream out) {
    return new StreamDownloadSink(out);
  }

  @Override
  public PartialDownload open() {
    return PartialDownload.NONE;
  }

  @Override
  public ReadableByteChannel readBack() {
    return Channels.newChannel(java.io.InputStream.nullInputStream());
  }

  @Override
  public void write(ByteBuffer bytes) throws IOException {
    int n = bytes.remaining();
    if (bytes.hasArray()) {
      out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), n);
      bytes.position(bytes.limit());
    } else {
      if (copy == null) {
        copy = new byte[COPY_SIZE];
      }
      while (bytes.hasRemaining()) {
        int k = Math.min(copy.length, bytes.remaining());
        bytes.get(copy, 0, k);
        out.write(copy, 0, k);
      }
    }
    written += n;
  }

  @Override
  public void restart() throws IOException {
    if (written > 0) {
      throw new ResumableDownloadError("the media changed on the server after " + written
          + " bytes of it went to the stream, which cannot take them back; download again", 200);
    }
  }

  @Override
  public void remember(PartialDownload version) {
    // nothing outlives the process
  }

  @Override
  public void commit() throws IOException {
    out.flush();
  }

  @Override
  public void discard() {
    // the caller holds the bytes; the exception tells them not to trust them
  }

  @Override
  public void close() {
    // the stream is the caller's
  }
}
