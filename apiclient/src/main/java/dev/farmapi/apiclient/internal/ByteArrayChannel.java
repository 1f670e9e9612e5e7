package dev.farmapi.apiclient.internal;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;

/**
 * Bytes of an array as a channel: each read is one copy into the caller's buffer, without the
 * intermediate array and 8 KiB steps of {@code Channels.newChannel(new ByteArrayInputStream(..))}.
 */
public final class ByteArrayChannel implements ReadableByteChannel {
  private final byte[] bytes;
  private final int end;
  private int position;
  private boolean open = true;

  public ByteArrayChannel(byte[] bytes) {
    this(bytes, 0, bytes.length);
  }

  public ByteArrayChannel(byte[] bytes, int offset, int length) {
    if (offset < 0 || length < 0 || offset > bytes.length - length) {
      throw new IndexOutOfBoundsException("offset " + offset + ", length " + length);
    }
    this.bytes = bytes;
    this.position = offset;
    this.end = offset + length;
  }

  @Override
  public int read(ByteBuffer dst) throws ClosedChannelException {
    if (!open) {
      throw new ClosedChannelException();
    }
    if (position == end) {
      return dst.hasRemaining() ? -1 : 0;
    }
    int n = Math.min(dst.remaining(), end - position);
    dst.put(bytes, position, n);
    position += n;
    return n;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
  }
}
