package dev.farmapi.apiclient.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A body channel that can move its next bytes to a socket without passing them through the
 * caller's buffer: a file region goes with {@code FileChannel.transferTo} (sendfile: the kernel
 * copies from the page cache to the socket). {@link Http1Engine} sends large plain-HTTP bodies
 * this way; decorators ({@link ObservingChannel}, the multipart framing) pass the ability on
 * when what they wrap has it. Heap bytes gain nothing from it (the JDK copies them into direct
 * memory to write them), so they are read through the engine's buffer like any other source.
 */
interface DirectChannel extends ReadableByteChannel {

  /**
   * Moves at most {@code max} (positive) of the next bytes to {@code target}, a blocking
   * channel, and returns how many, or -1 at the end. {@code scratch} is the caller's buffer,
   * for a decorator that must also see the bytes (its content is not kept).
   */
  long writeTo(WritableByteChannel target, long max, ByteBuffer scratch) throws IOException;

  /** Whether {@link #writeTo} works here (a decorator can only if what it wraps can). */
  default boolean isDirect() {
    return true;
  }

  /** {@code channel} as a direct one, or null when its bytes must be read through a buffer. */
  static DirectChannel of(ReadableByteChannel channel) {
    if (channel instanceof DirectChannel direct) {
      return direct.isDirect() ? direct : null;
    }
    if (channel instanceof FileChannel file) {
      return new FileRegion(file);
    }
    return null;
  }

  /** A file from its position on; the position follows what was sent. */
  final class FileRegion implements DirectChannel {
    private final FileChannel file;

    FileRegion(FileChannel file) {
      this.file = file;
    }

    FileChannel file() {
      return file;
    }

    @Override
    public long writeTo(WritableByteChannel target, long max, ByteBuffer scratch)
        throws IOException {
      long position = file.position();
      long n = file.transferTo(position, max, target);
      if (n == 0) {
        if (position >= file.size()) {
          return -1;
        }
        // The socket is full and sendfile did not wait: its descriptor is non-blocking (newer
        // JDKs make it so, e.g. on a virtual thread) and transferTo answers 0 rather than
        // block. A plain write of the next bytes does wait (the channel parks until the socket
        // drains), so there is progress and never a spin.
        scratch.clear().limit((int) Math.min(scratch.capacity(), max));
        int r = file.read(scratch, position);
        if (r < 0) {
          return -1;
        }
        scratch.flip();
        while (scratch.hasRemaining()) {
          target.write(scratch);
        }
        n = r;
      }
      file.position(position + n);
      return n;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return file.read(dst);
    }

    @Override
    public boolean isOpen() {
      return file.isOpen();
    }

    @Override
    public void close() throws IOException {
      file.close();
    }
  }
}
