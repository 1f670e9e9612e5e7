package dev.farmapi.cli;

import dev.farmapi.apiclient.media.MediaUpload;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Media that reads no faster than a given rate: on loopback an upload of a few megabytes is over
 * before a progress bar can draw, so the demo paces it to be watched. A decorator, like the
 * library's own: the uploader does not know.
 */
final class PacedMedia implements MediaUpload {
  private final MediaUpload media;
  private final long bytesPerSecond;

  PacedMedia(MediaUpload media, long bytesPerSecond) {
    this.media = media;
    this.bytesPerSecond = bytesPerSecond;
  }

  @Override
  public String mimeType() {
    return media.mimeType();
  }

  @Override
  public OptionalLong size() {
    return media.size();
  }

  @Override
  public long chunkSize() {
    return media.chunkSize();
  }

  @Override
  public boolean isResumable() {
    return media.isResumable();
  }

  @Override
  public boolean isSeekable() {
    return media.isSeekable();
  }

  @Override
  public Optional<String> fingerprint() {
    return media.fingerprint();
  }

  @Override
  public ReadableByteChannel open(long offset) throws IOException {
    ReadableByteChannel source = media.open(offset);
    long start = System.nanoTime();
    return new ReadableByteChannel() {
      private long read;

      @Override
      public int read(ByteBuffer dst) throws IOException {
        // Small reads, so that the pace is smooth rather than a burst per buffer.
        ByteBuffer window = dst.slice(dst.position(), Math.min(dst.remaining(), 16 * 1024));
        int n = source.read(window);
        if (n > 0) {
          dst.position(dst.position() + n);
          read += n;
          long due = start + read * 1_000_000_000L / bytesPerSecond;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            try {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new InterruptedIOException();
            }
          }
        }
        return n;
      }

      @Override
      public boolean isOpen() {
        return source.isOpen();
      }

      @Override
      public void close() throws IOException {
        source.close();
      }
    };
  }
}
