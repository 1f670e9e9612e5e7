package dev.farmapi.apiclient.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Shows every byte read through a channel to an observer, with its offset in the media: the
 * decorator that progress reporting and checksums ride on, so the upload code has no flags for
 * either (Okio's {@code HashingSource} idea).
 */
public final class ObservingChannel implements ReadableByteChannel {
  private final ReadableByteChannel delegate;
  private final Observer observer;
  private long offset;

  /** Sees bytes (read-only) at their offset in the media. */
  public interface Observer {
    void onBytes(ByteBuffer bytes, long mediaOffset);
  }

  public ObservingChannel(ReadableByteChannel delegate, long startOffset, Observer observer) {
    this.delegate = delegate;
    this.offset = startOffset;
    this.observer = observer;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    int start = dst.position();
    int n = delegate.read(dst);
    if (n > 0) {
      ByteBuffer read = dst.duplicate().position(start).limit(start + n).asReadOnlyBuffer();
      observer.onBytes(read, offset);
      offset += n;
    }
    return n;
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
