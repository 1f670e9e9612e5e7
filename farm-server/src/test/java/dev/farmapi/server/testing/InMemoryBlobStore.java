package dev.farmapi.server.testing;

import dev.farmapi.server.store.BlobStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link BlobStore} in memory, for the state machine's unit tests. It keeps what a synced
 * blob holds (what survives) apart from what an appender has written but not synced (what a
 * crash loses), so that tests see exactly the durability the real stores give. Like the S3
 * store it hands out a state on every sync and insists on getting the latest one back at
 * {@link #append} and {@link #seal}, so that a caller that records or passes a stale state
 * fails here as it would lose bytes there. It passes the same {@code BlobStoreContract} as the
 * real stores do.
 */
public final class InMemoryBlobStore implements BlobStore {
  private final Map<String, byte[]> durable = new ConcurrentHashMap<>();

  @Override
  public Appender append(String key, long offset, String state) throws IOException {
    if (offset > 0 && !("bytes=" + offset).equals(state)) {
      throw new IOException("blob " + key + " appended at " + offset + " with state " + state);
    }
    byte[] held = durable.get(key);
    if (held == null ? offset != 0 : held.length < offset) {
      throw new IOException("blob " + key + " holds " + (held == null ? "nothing" : held.length
          + " bytes") + ", cannot append at " + offset);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    if (held != null) {
      bytes.write(held, 0, (int) offset);
    }
    return new Appender() {
      private boolean open = true;

      @Override
      public int write(ByteBuffer src) {
        int n = src.remaining();
        byte[] b = new byte[n];
        src.get(b);
        bytes.write(b, 0, n);
        return n;
      }

      @Override
      public long position() {
        return bytes.size();
      }

      @Override
      public String sync() {
        durable.put(key, bytes.toByteArray());
        return "bytes=" + bytes.size();
      }

      @Override
      public boolean isOpen() {
        return open;
      }

      @Override
      public void close() {
        open = false;
      }
    };
  }

  @Override
  public void seal(String key, String state) throws IOException {
    byte[] held = durable.get(key);
    if (held != null && !("bytes=" + held.length).equals(state)) {
      throw new IOException("blob " + key + " of " + held.length + " bytes sealed with state "
          + state + ": bytes would be lost");
    }
  }

  @Override
  public SeekableByteChannel read(String key) throws IOException {
    byte[] held = durable.get(key);
    if (held == null) {
      throw new NoSuchFileException(key);
    }
    return new ReadOnly(held);
  }

  @Override
  public long size(String key) {
    byte[] held = durable.get(key);
    return held == null ? -1 : held.length;
  }

  @Override
  public long appendedSize(String key, String state) {
    return size(key);
  }

  @Override
  public void delete(String key) {
    durable.remove(key);
  }

  @Override
  public Set<String> keys() {
    return new HashSet<>(durable.keySet());
  }

  /** The durable bytes of a blob, or null. */
  public byte[] bytes(String key) {
    byte[] held = durable.get(key);
    return held == null ? null : Arrays.copyOf(held, held.length);
  }

  private static final class ReadOnly implements SeekableByteChannel {
    private final byte[] bytes;
    private long position;

    ReadOnly(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read(ByteBuffer dst) {
      if (position >= bytes.length) {
        return -1;
      }
      int n = (int) Math.min(dst.remaining(), bytes.length - position);
      dst.put(bytes, (int) position, n);
      position += n;
      return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      throw new IOException("read only");
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
      position = newPosition;
      return this;
    }

    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public SeekableByteChannel truncate(long size) throws IOException {
      throw new IOException("read only");
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

}
