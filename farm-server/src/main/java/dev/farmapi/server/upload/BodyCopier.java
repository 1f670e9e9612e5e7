package dev.farmapi.server.upload;

import dev.farmapi.server.store.BlobStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Streams a request body into a blob, hashing on the way. It tells a failing body (the client's
 * problem: the bytes that did arrive are kept) from a failing disk (ours: nothing is promised),
 * because the two end differently.
 */
final class BodyCopier {
  private static final int BUFFER_SIZE = 1 << 16;

  /** The body failed (broke, timed out, was cut by an injected fault) after some bytes. */
  static final class BodyFailure extends Exception {
    BodyFailure(IOException cause) {
      super(cause);
    }

    IOException io() {
      return (IOException) getCause();
    }
  }

  private BodyCopier() {}

  /** Reads and drops {@code count} bytes: the part of a chunk the server already holds. */
  static void skip(ReadableByteChannel body, long count) throws BodyFailure {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER_SIZE, Math.max(count, 1)));
    long left = count;
    while (left > 0) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), left));
      int n = read(body, buffer);
      if (n < 0) {
        throw new BodyFailure(new TruncatedBodyException(count - left, count));
      }
      left -= n;
    }
  }

  /**
   * Copies exactly {@code length} bytes, or up to the end of the body when {@code length} is -1
   * (then failing once more than {@code limit} bytes arrive). Returns the bytes copied.
   * {@code hasher} may be null when the running hash is already lost.
   *
   * @throws BodyFailure when the body breaks; what was copied is in {@code out}
   * @throws IOException when writing to the blob fails
   */
  static long copy(ReadableByteChannel body, long length, long limit, BlobStore.Appender out,
      MediaHasher hasher) throws BodyFailure, IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
    long copied = 0;
    while (length < 0 || copied < length) {
      buffer.clear();
      if (length >= 0) {
        buffer.limit((int) Math.min(BUFFER_SIZE, length - copied));
      }
      // A read hands over what one network read brought (Jetty: up to its input buffer), so
      // the buffer is filled first: one hash update and one write() per buffer, not per packet.
      BodyFailure failure = null;
      boolean ended = false;
      while (buffer.hasRemaining()) {
        int n;
        try {
          n = read(body, buffer);
        } catch (BodyFailure f) {
          failure = f;
          break;
        }
        if (n < 0) {
          ended = true;
          break;
        }
        if (length < 0 && copied + buffer.position() > limit) {
          throw new BodyFailure(new BodyTooLargeException(limit));
        }
      }
      buffer.flip();
      int n = buffer.remaining();
      if (n > 0) {
        if (hasher != null) {
          hasher.update(buffer);
        }
        out.write(buffer); // what arrived before a failure is kept, as the caller promises
        copied += n;
      }
      if (failure != null) {
        throw failure;
      }
      if (ended) {
        if (length < 0) {
          return copied;
        }
        throw new BodyFailure(new TruncatedBodyException(copied, length));
      }
    }
    return copied;
  }

  /** Whether the body goes on: reads one byte past what was wanted. A failing body does not. */
  static boolean hasMore(ReadableByteChannel body) {
    ByteBuffer one = ByteBuffer.allocate(1);
    try {
      int n = 0;
      for (int tries = 0; n == 0 && tries < 1000; tries++) {
        n = body.read(one); // a decoding channel may return 0 before data or the end arrives
      }
      return n > 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static int read(ReadableByteChannel body, ByteBuffer buffer) throws BodyFailure {
    try {
      return body.read(buffer);
    } catch (IOException e) {
      throw new BodyFailure(e);
    }
  }
}
