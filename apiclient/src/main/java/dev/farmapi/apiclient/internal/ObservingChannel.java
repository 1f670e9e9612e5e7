package dev.farmapi.apiclient.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Shows every byte read through a channel to an observer, with its offset in the media: the
 * decorator that progress reporting and checksums ride on, so the upload code has no flags for
 * either (Okio's {@code HashingSource} idea).
 *
 * <p>Over a file it stays a {@link DirectChannel}: the bytes go to the socket by
 * {@code transferTo}, and the observer sees them read back from the page cache into the
 * engine's buffer, so nothing is allocated per buffer either way.
 */
public final class ObservingChannel implements DirectChannel {
  private final ReadableByteChannel delegate;
  private final FileRegion file; // non-null when the delegate is a file
  private final Observer observer;
  private long offset;

  /** Sees bytes (read-only) at their offset in the media. */
  public interface Observer {
    void onBytes(ByteBuffer bytes, long mediaOffset);
  }

  public ObservingChannel(ReadableByteChannel delegate, long startOffset, Observer observer) {
    this.delegate = delegate;
    this.file = delegate instanceof FileChannel f ? new FileRegion(f) : null;
    this.offset = startOffset;
    this.observer = observer;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    int start = dst.position();
    int n = delegate.read(dst);
    if (n > 0) {
      observe(dst.duplicate().position(start).limit(start + n));
    }
    return n;
  }

  @Override
  public boolean isDirect() {
    return file != null;
  }

  @Override
  public long writeTo(WritableByteChannel target, long max, ByteBuffer scratch)
      throws IOException {
    long from = file.file().position();
    long n = file.writeTo(target, max, scratch);
    for (long seen = 0; seen < n; ) {
      scratch.clear().limit((int) Math.min(scratch.capacity(), n - seen));
      int r;
      try {
        r = file.file().read(scratch, from + seen);
      } catch (IOException e) {
        throw new MediaSourceException("reading the media failed: " + e.getMessage(), e);
      }
      if (r < 0) {
        throw new MediaSourceException("the media shrank while it was sent", null);
      }
      seen += r;
      observe(scratch.flip());
    }
    return n;
  }

  private void observe(ByteBuffer bytes) {
    int n = bytes.remaining();
    observer.onBytes(bytes.asReadOnlyBuffer(), offset);
    offset += n;
  }

  @Override
  public boolean isOpen() {
    return delegate.isOpen();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
