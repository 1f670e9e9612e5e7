package dev.farmapi.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A sealed S3 blob read as a channel: one ranged {@code GetObject} from the current position,
 * kept open while reads go on in order, and opened again after a seek.
 */
final class S3ReadChannel implements SeekableByteChannel {
  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final long size;
  private long position;
  private ResponseInputStream<GetObjectResponse> stream;
  private byte[] buffer = new byte[0];
  private boolean open = true;

  S3ReadChannel(S3Client s3, String bucket, String key, long size) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.size = size;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (position >= size) {
      return -1;
    }
    if (stream == null) {
      long from = position;
      stream = S3Objects.call(() -> s3.getObject(b -> b.bucket(bucket).key(key)
          .range("bytes=" + from + "-" + (size - 1))));
    }
    int want = (int) Math.min(dst.remaining(), size - position);
    if (buffer.length < want) {
      buffer = new byte[Math.min(Math.max(want, 8192), 1 << 17)];
    }
    int n = stream.read(buffer, 0, Math.min(want, buffer.length));
    if (n < 0) {
      throw new IOException("object " + key + " ended at " + position + " of " + size);
    }
    dst.put(buffer, 0, n);
    position += n;
    return n;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) throws IOException {
    if (newPosition != position) {
      closeStream();
      position = newPosition;
    }
    return this;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    open = false;
    closeStream();
  }

  private void closeStream() throws IOException {
    InputStream s = stream;
    stream = null;
    if (s != null) {
      if (stream == null && s instanceof ResponseInputStream<?> r) {
        r.abort(); // do not read the rest of a large object just to reuse the connection
      }
      s.close();
    }
  }
}
