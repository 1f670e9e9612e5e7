package dev.farmapi.apiclient.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Shows every byte that reaches a sink to an observer, with its offset in the media, and on
 * request the bytes an earlier process left ({@link #replay}): the download's side of
 * {@link ObservingChannel}, which hashing and progress ride on.
 */
public final class ObservingSink implements DownloadSink {
  private static final int READ_BACK_BUFFER = 1 << 16;

  private final DownloadSink delegate;
  private final ObservingChannel.Observer observer;
  private long offset;

  public ObservingSink(DownloadSink delegate, ObservingChannel.Observer observer) {
    this.delegate = delegate;
    this.observer = observer;
  }

  @Override
  public PartialDownload open() throws IOException {
    offset = 0;
    return delegate.open();
  }

  /** Shows the observer the first {@code length} bytes already in the sink, read back. */
  public void replay(long length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(READ_BACK_BUFFER);
    try (ReadableByteChannel in = delegate.readBack()) {
      while (offset < length) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), length - offset));
        if (in.read(buffer) < 0) {
          throw new IOException("the partial file shrank while it was read back");
        }
        observe(buffer.flip());
      }
    }
  }

  @Override
  public ReadableByteChannel readBack() throws IOException {
    return delegate.readBack();
  }

  /** Writes the bytes, then shows the observer those same bytes, in place (nothing copied). */
  @Override
  public void write(ByteBuffer bytes) throws IOException {
    int start = bytes.position();
    int end = bytes.limit();
    delegate.write(bytes);
    bytes.limit(end).position(start);
    observe(bytes);
    bytes.limit(end).position(end);
  }

  private void observe(ByteBuffer bytes) {
    int n = bytes.remaining();
    observer.onBytes(bytes, offset);
    offset += n;
  }

  @Override
  public void restart() throws IOException {
    delegate.restart();
    offset = 0;
  }

  @Override
  public void remember(PartialDownload version) throws IOException {
    delegate.remember(version);
  }

  @Override
  public void commit() throws IOException {
    delegate.commit();
  }

  @Override
  public void discard() throws IOException {
    delegate.discard();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
