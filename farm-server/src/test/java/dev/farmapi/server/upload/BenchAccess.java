package dev.farmapi.server.upload;

import dev.farmapi.server.store.BlobStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * The JMH suite's way into the server's package-private upload hot path ({@link BodyCopier}
 * feeding a sink that appends and hashes, {@link MediaHasher}). It lives in the server's own test sources and reaches the bench through
 * the published test-jar ({@code farm-server-*-tests.jar}), so the server exports nothing for
 * benchmarks and no other module declares classes in the server's packages.
 */
public final class BenchAccess {
  private BenchAccess() {}

  /** A fresh running hash as the server keeps per session. */
  public static Object newHasher() {
    return new MediaHasher();
  }

  /** Feeds the server's hasher, as BodyCopier does for every buffer. */
  public static void hash(Object hasher, ByteBuffer bytes) {
    ((MediaHasher) hasher).update(bytes);
  }

  /** The server's MD5 of what the hasher saw, base64. */
  public static String md5(Object hasher) {
    return ((MediaHasher) hasher).md5();
  }

  /**
   * The server's chunk copy: exactly {@code length} bytes of {@code body} into {@code out},
   * hashed when {@code hash} is true.
   */
  public static long copy(ReadableByteChannel body, long length, BlobStore.Appender out,
      boolean hash) throws IOException {
    MediaHasher hasher = hash ? new MediaHasher() : null;
    return BodyCopier.feed(body, new BodySink<Long>() {
      long copied;

      @Override
      public void write(ByteBuffer bytes) throws IOException {
        copied += bytes.remaining();
        if (hasher != null) {
          hasher.update(bytes);
        }
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
      }

      @Override
      public Long end() throws IOException {
        if (copied != length) {
          throw new TruncatedBodyException(copied, length);
        }
        return copied;
      }

      @Override
      public Long fail(IOException cause) throws IOException {
        throw cause;
      }

      @Override
      public void abandon() {}
    });
  }
}
