package dev.farmapi.apiclient.testing;

import dev.farmapi.apiclient.media.MediaUpload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link MediaUpload} that behaves as the one it wraps, except for one adversarial trait:
 * channels that hand out a single byte per read, an {@code open} that fails, or reads that fail
 * past some offset. It records the offset of every {@code open}, so that tests can see where the
 * uploader re-read the source (Okio's adversarial sources, OkHttp's FaultyFileSystem).
 */
public final class FaultyMedia implements MediaUpload {
  private final MediaUpload delegate;
  private final boolean oneByteReads;
  private final IOException openFailure;
  private final long failReadsAt;
  private final List<Long> opens = new CopyOnWriteArrayList<>();

  private FaultyMedia(MediaUpload delegate, boolean oneByteReads, IOException openFailure,
      long failReadsAt) {
    this.delegate = delegate;
    this.oneByteReads = oneByteReads;
    this.openFailure = openFailure;
    this.failReadsAt = failReadsAt;
  }

  /** Every read gives at most one byte. */
  public static FaultyMedia oneByteReads(MediaUpload media) {
    return new FaultyMedia(media, true, null, -1);
  }

  /** Every {@code open} throws {@code failure}. */
  public static FaultyMedia failingOpen(MediaUpload media, IOException failure) {
    return new FaultyMedia(media, false, failure, -1);
  }

  /** Reads throw once they reach media offset {@code offset}. */
  public static FaultyMedia failingReadsAt(MediaUpload media, long offset) {
    return new FaultyMedia(media, false, null, offset);
  }

  /** The offsets {@code open} was called with, in order. */
  public List<Long> opens() {
    return opens;
  }

  @Override
  public ReadableByteChannel open(long offset) throws IOException {
    opens.add(offset);
    if (openFailure != null) {
      throw openFailure;
    }
    ReadableByteChannel channel = delegate.open(offset);
    return new ReadableByteChannel() {
      long position = offset;

      @Override
      public int read(ByteBuffer dst) throws IOException {
        if (failReadsAt >= 0 && position >= failReadsAt) {
          throw new IOException("the disk failed at byte " + position);
        }
        ByteBuffer limited = dst;
        int room = dst.remaining();
        if (oneByteReads) {
          room = Math.min(room, 1);
        }
        if (failReadsAt >= 0) {
          room = (int) Math.min(room, Math.max(1, failReadsAt - position));
        }
        if (room < dst.remaining()) {
          limited = dst.slice(dst.position(), room);
        }
        int n = channel.read(limited);
        if (limited != dst && n > 0) {
          dst.position(dst.position() + n);
        }
        if (n > 0) {
          position += n;
        }
        return n;
      }

      @Override
      public boolean isOpen() {
        return channel.isOpen();
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }

  @Override
  public String mimeType() {
    return delegate.mimeType();
  }

  @Override
  public OptionalLong size() {
    return delegate.size();
  }

  @Override
  public long chunkSize() {
    return delegate.chunkSize();
  }

  @Override
  public boolean isResumable() {
    return delegate.isResumable();
  }

  @Override
  public boolean isSeekable() {
    return delegate.isSeekable();
  }

  @Override
  public Optional<String> fingerprint() {
    return delegate.fingerprint();
  }
}
