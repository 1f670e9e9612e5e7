package dev.farmapi.server.testing;

import dev.farmapi.server.store.BlobStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link BlobStore} over a real one whose disk a test can break and mend, in the manner of
 * OkHttp's {@code FaultyFileSystem}: arm a fault, watch requests fail, clear it, watch them
 * recover. Faults are what a local disk really does:
 *
 * <ul>
 *   <li>{@link Fault#DISK_FULL}: every write fails with {@code No space left on device};
 *   <li>{@link #fillDisk(long)}: writes fail with {@code No space left on device} once that many
 *       more bytes have been written (the bytes before are written, as a real ENOSPC does);
 *   <li>{@link Fault#SYNC}: {@link Appender#sync()} fails with {@code Input/output error}
 *       after the bytes were written (the fsync that lost them);
 *   <li>{@link Fault#COMMIT}: the first sync of a blob that the appender created fails. A
 *       {@code LocalBlobStore} has no rename: a new blob is committed into place by fsyncing its
 *       directory entry inside that first sync, so this is the failed commit.
 * </ul>
 *
 * <p>A fault armed with {@link #arm(Fault)} holds until cleared; one armed with
 * {@link #arm(Fault, int)} fires that many times and then clears itself: a transient fault,
 * which a client's retries should ride over.
 */
public final class FaultyBlobStore implements BlobStore {
  /** Faults armed by name; {@link #fillDisk} fills the disk after a byte budget instead. */
  public enum Fault { DISK_FULL, SYNC, COMMIT }

  private final BlobStore delegate;
  private final Map<Fault, AtomicInteger> armed = new ConcurrentHashMap<>();
  private final AtomicLong spaceLeft = new AtomicLong(Long.MAX_VALUE);
  private final AtomicInteger fired = new AtomicInteger();
  private volatile boolean readsAsStreams;

  public FaultyBlobStore(BlobStore delegate) {
    this.delegate = delegate;
  }

  /** Arms {@code fault} until it is cleared. */
  public void arm(Fault fault) {
    arm(fault, Integer.MAX_VALUE);
  }

  /** Arms {@code fault} for its next {@code times} chances to fire. */
  public void arm(Fault fault, int times) {
    armed.put(fault, new AtomicInteger(times));
  }

  public void clear(Fault fault) {
    armed.remove(fault);
  }

  /** Lets {@code bytes} more bytes be written, then fails every write until {@link #clearAll}. */
  public void fillDisk(long bytes) {
    spaceLeft.set(bytes);
  }

  /** Mends the disk: every fault cleared, space unlimited again. */
  public void clearAll() {
    armed.clear();
    spaceLeft.set(Long.MAX_VALUE);
  }

  /**
   * From now on, {@link #read} gives a channel that is no {@code FileChannel}, as an object
   * store's would: downloads then take their buffered path instead of mapping the file.
   */
  public void readAsStreams() {
    readsAsStreams = true;
  }

  /** How many operations a fault has failed so far. */
  public int fired() {
    return fired.get();
  }

  @Override
  public Appender append(String key, long offset, String state) throws IOException {
    boolean created = delegate.appendedSize(key, state) < 0;
    return new FaultyAppender(delegate.append(key, offset, state), created);
  }

  @Override
  public SeekableByteChannel read(String key) throws IOException {
    SeekableByteChannel channel = delegate.read(key);
    return readsAsStreams ? new StreamChannel(channel) : channel;
  }

  @Override
  public long size(String key) throws IOException {
    return delegate.size(key);
  }

  @Override
  public void seal(String key, String state) throws IOException {
    delegate.seal(key, state);
  }

  @Override
  public long appendedSize(String key, String state) throws IOException {
    return delegate.appendedSize(key, state);
  }

  @Override
  public void delete(String key) throws IOException {
    delegate.delete(key);
  }

  @Override
  public Set<String> keys() throws IOException {
    return delegate.keys();
  }

  /** Whether {@code fault} fires now, using up one of its times. */
  private boolean due(Fault fault) {
    AtomicInteger left = armed.get(fault);
    return left != null && left.getAndUpdate(FaultyBlobStore::useOnce) > 0;
  }

  /** One fewer time left, except for a fault armed until cleared. */
  static int useOnce(int left) {
    return left == Integer.MAX_VALUE ? left : Math.max(0, left - 1);
  }

  private IOException fire(String message) {
    fired.incrementAndGet();
    return new IOException(message);
  }

  private final class FaultyAppender implements Appender {
    private final Appender out;
    private boolean uncommitted; // created by this appender, directory entry not yet synced

    FaultyAppender(Appender out, boolean created) {
      this.out = out;
      this.uncommitted = created;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      if (due(Fault.DISK_FULL)) {
        throw fire("No space left on device");
      }
      long wanted = src.remaining();
      long granted = spaceLeft.getAndUpdate(left -> left == Long.MAX_VALUE
          ? left : Math.max(0, left - wanted));
      if (granted >= wanted) {
        return out.write(src);
      }
      int n = 0;
      if (granted > 0) {
        ByteBuffer part = src.slice(src.position(), (int) granted);
        n = out.write(part);
        src.position(src.position() + n);
      }
      throw fire("No space left on device");
    }

    @Override
    public long position() throws IOException {
      return out.position();
    }

    @Override
    public String sync() throws IOException {
      if (uncommitted && due(Fault.COMMIT)) {
        throw fire("Input/output error (committing the new blob's directory entry)");
      }
      if (due(Fault.SYNC)) {
        throw fire("Input/output error (fsync)");
      }
      String state = out.sync();
      uncommitted = false;
      return state;
    }

    @Override
    public boolean isOpen() {
      return out.isOpen();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /** A blob's channel without its type: reads, seeks and sizes pass through. */
  private record StreamChannel(SeekableByteChannel delegate) implements SeekableByteChannel {
    @Override
    public int read(ByteBuffer dst) throws IOException {
      return delegate.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      throw new java.nio.channels.NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
      return delegate.position();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
      delegate.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return delegate.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
      throw new java.nio.channels.NonWritableChannelException();
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
}
