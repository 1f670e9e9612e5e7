package dev.farmapi.server.http;

import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;

/**
 * The bytes of one range of a blob as buffers for the response, one after the other: each
 * {@link #next} buffer is written whole, then {@link #written()} says so.
 *
 * <p>A local file is mapped a region at a time and each region handed to Jetty as it is: the
 * kernel copies from the page cache straight to the socket, with no read into a buffer of ours.
 * This is how Jetty 12 serves files itself ({@code FileMappingHttpContentFactory}); it has no
 * {@code sendfile} path, and bytes written to its socket behind its back would break its
 * framing. A region is unmapped as soon as Jetty has written it, so a large download never
 * holds more than one region of address space (and of resident file pages). Any other blob (an
 * object store's stream) and small files, for which a mapping costs more than a read, go through
 * one buffer from Jetty's pool, reused.
 *
 * <p>The first {@link #MAP_MIN} bytes of every download go through the pooled buffer too, and
 * only the rest is mapped: a mapped page the kernel has copied to a socket counts in the
 * server's resident memory for as long as its region is mapped, once per download (however
 * many downloads share the page), and the region of a client that stops reading stays mapped
 * until it is cut. The kernel takes about 1.3 MiB into a loopback connection's buffers whether
 * its client reads or not, so under a slow-read attack (1000 readers of one 2 MiB file taking
 * 32 bytes a second) mapping from the first byte took {@code farm serve} to 1.4 GiB resident,
 * and mapping after the first MiB still to 430 MiB (290 MiB of it file pages). After the first
 * 4 MiB, what a stalled client leaves mapped is only what its socket took beyond that.
 */
abstract class MediaBody implements Closeable {
  /** Mapped and written at once: few system calls per GiB, little address space. */
  static final int REGION = 4 << 20;
  /**
   * Bytes of a download sent through the buffer before any is mapped: more than a socket takes
   * from a client that does not read, and for a small file one read costs less than a mapping.
   */
  static final long MAP_MIN = 4 << 20;
  /**
   * The pooled buffer: 64 KiB, so that 1000 slow readers of small files hold 64 MiB of direct
   * memory (half the launcher's bound), not more.
   */
  private static final int BUFFER = 64 << 10;

  /** The {@code length} bytes of {@code blob} from {@code first}. */
  static MediaBody of(SeekableByteChannel blob, long first, long length, ByteBufferPool pool)
      throws IOException {
    blob.position(first);
    Copied copied = new Copied(blob, pool, (int) Math.min(BUFFER, Math.max(length, 1)));
    if (blob instanceof FileChannel file && length > MAP_MIN) {
      return new CopiedThenMapped(copied, new Mapped(file, first + MAP_MIN));
    }
    return copied;
  }

  /**
   * The next at most {@code max} bytes (fewer only at the blob's end), in a buffer to write
   * whole before the next call.
   */
  abstract ByteBuffer next(long max) throws IOException;

  /** The last buffer has been written: what holds it can go. */
  abstract void written();

  /**
   * Releases what is left. A buffer whose write did not complete is left to the garbage
   * collector rather than unmapped or pooled again: Jetty may not be done with it.
   */
  @Override
  public abstract void close();

  /** Regions of a file, mapped read-only. */
  private static final class Mapped extends MediaBody {
    private final FileChannel file;
    private long position;
    private MappedByteBuffer region; // handed out, not yet written

    Mapped(FileChannel file, long first) {
      this.file = file;
      this.position = first;
    }

    @Override
    ByteBuffer next(long max) throws IOException {
      long n = Math.min(Math.min(max, REGION), Math.max(0, file.size() - position));
      region = file.map(FileChannel.MapMode.READ_ONLY, position, n);
      position += n;
      return region;
    }

    @Override
    void written() {
      Unmapper.unmap(region);
      region = null;
    }

    @Override
    public void close() {
      region = null;
    }
  }

  /** The first {@link #MAP_MIN} bytes through a pooled buffer, the rest mapped. */
  private static final class CopiedThenMapped extends MediaBody {
    private final Copied head;
    private final Mapped tail;
    private long headLeft = MAP_MIN;
    private MediaBody current;

    CopiedThenMapped(Copied head, Mapped tail) {
      this.head = head;
      this.tail = tail;
    }

    @Override
    ByteBuffer next(long max) throws IOException {
      if (headLeft > 0) {
        current = head;
        ByteBuffer bytes = head.next(Math.min(max, headLeft));
        headLeft -= bytes.remaining();
        return bytes;
      }
      head.close(); // written: its buffer goes back to the pool now
      current = tail;
      return tail.next(max);
    }

    @Override
    void written() {
      current.written();
    }

    @Override
    public void close() {
      head.close();
      tail.close();
    }
  }

  /** A blob read into one pooled buffer. */
  private static final class Copied extends MediaBody {
    private final SeekableByteChannel blob;
    private final RetainableByteBuffer pooled;
    private boolean inFlight;
    private boolean released;

    Copied(SeekableByteChannel blob, ByteBufferPool pool, int size) {
      this.blob = blob;
      this.pooled = pool.acquire(size, true);
    }

    @Override
    ByteBuffer next(long max) throws IOException {
      ByteBuffer buffer = pooled.getByteBuffer();
      buffer.clear().limit((int) Math.min(buffer.capacity(), max));
      while (buffer.hasRemaining() && blob.read(buffer) >= 0) {
        // fill the buffer: a short read must not become a short write
      }
      inFlight = true;
      return buffer.flip();
    }

    @Override
    void written() {
      inFlight = false;
    }

    @Override
    public void close() {
      if (!inFlight && !released) {
        released = true;
        pooled.release();
      }
    }
  }

  /**
   * Unmaps a region at once rather than when the garbage collector finds it: a server that sends
   * gigabytes allocates little, so collections, and with them unmapping, can be far apart.
   * {@code sun.misc.Unsafe.invokeCleaner} is the JDK's supported way for this (module
   * {@code jdk.unsupported}, used by Netty and Lucene); without it, the collector unmaps.
   */
  private static final class Unmapper {
    private static final MethodHandle INVOKE_CLEANER = find();

    static void unmap(ByteBuffer region) {
      if (INVOKE_CLEANER == null || region == null) {
        return;
      }
      try {
        INVOKE_CLEANER.invokeExact(region);
      } catch (Throwable e) {
        // left to the garbage collector
      }
    }

    private static MethodHandle find() {
      try {
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        Field field = unsafeClass.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        return MethodHandles.lookup()
            .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class,
                ByteBuffer.class))
            .bindTo(field.get(null));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  }
}
