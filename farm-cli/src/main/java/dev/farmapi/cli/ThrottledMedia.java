package dev.farmapi.cli;

import dev.farmapi.apiclient.media.MediaUpload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Media read no faster than a {@link RateLimit} allows: {@code --limit-rate} on uploads, and the
 * demo's pace (on loopback a few megabytes are gone before a bar can draw). A decorator, like
 * the library's own: the uploader does not know. Bytes below {@code freeBelow} are not charged:
 * a resumed upload re-reads the part the server already holds to hash it, which sends nothing.
 */
final class ThrottledMedia implements MediaUpload {
  /** Reads are cut to this, so that the pace is smooth rather than a burst per buffer. */
  private static final int WINDOW = 16 * 1024;

  private final MediaUpload media;
  private final RateLimit limit;
  private final long freeBelow;

  ThrottledMedia(MediaUpload media, RateLimit limit, long freeBelow) {
    this.media = media;
    this.limit = limit;
    this.freeBelow = freeBelow;
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
    return new ReadableByteChannel() {
      private long position = offset;

      @Override
      public int read(ByteBuffer dst) throws IOException {
        ByteBuffer window = dst.slice(dst.position(), Math.min(dst.remaining(), WINDOW));
        int n = source.read(window);
        if (n > 0) {
          dst.position(dst.position() + n);
          long charged = Math.min(n, position + n - freeBelow);
          position += n;
          if (charged > 0) {
            limit.take(charged);
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
