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
 */
abstract class MediaBody implements Closeable {
  /** Mapped and written at once: few system calls per GiB, little address space. */
  static final int REGION = 4 << 20;
  /** Below this, one read costs less than mapping and unmapping. */
  static final long MAP_MIN = 1 << 20;
  private static final int BUFFER = 1 << 17;

  /** The {@code length} bytes of {@code blob} from {@code first}. */
  static MediaBody of(SeekableByteChannel blob, long first, long length, ByteBufferPool pool)
      throws IOException {
    if (blob instanceof FileChannel file && length >= MAP_MIN) {
      return new Mapped(file, first);
    }
    blob.position(first);
    return new Copied(blob, pool, (int) Math.min(BUFFER, Math.max(length, 1)));
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

  /** A blob read into one pooled buffer. */
  private static final class Copied extends MediaBody {
    private final SeekableByteChannel blob;
    private final RetainableByteBuffer pooled;
    private boolean inFlight;

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
      if (!inFlight) {
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
