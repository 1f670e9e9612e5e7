package dev.farmapi.bench.jmh;

import dev.farmapi.server.store.BlobStore;
import dev.farmapi.server.store.LocalBlobStore;
import dev.farmapi.server.upload.BenchAccess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The server's chunk path without the network: BodyCopier streams an 8 MiB body into a
 * LocalBlobStore appender (on tmpfs, /dev/shm, so the disk is not what is measured), hashing
 * or not, then syncs as before a 308. MB/s = ops/s x 8.39.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BodyCopyBench {
  static final int CHUNK = 8 << 20;
  private static final String KEY = "bjmhbench0000000000000000000000";

  @Param({"true", "false"})
  public boolean hash;

  /**
   * The most one body read returns: 8 KiB is what Jetty handed over per read with its default
   * input buffer, 64 KiB what it hands over now (FarmServer sets a 64 KiB input buffer).
   */
  @Param({"8192", "65536"})
  public int readSize;

  private byte[] data;
  private Path dir;
  private LocalBlobStore store;

  @Setup
  public void setUp() throws IOException {
    data = new byte[CHUNK];
    new Random(3).nextBytes(data);
    Path shm = Path.of("/dev/shm");
    dir = Files.createTempDirectory(Files.isDirectory(shm) ? shm : Path.of("target"), "jmh-blobs");
    store = LocalBlobStore.open(dir);
  }

  @TearDown
  public void tearDown() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  @Benchmark
  public long copyChunk() throws IOException {
    try (BlobStore.Appender out = store.append(KEY, 0, null)) {
      long n = BenchAccess.copy(new ArrayChannel(data, readSize), CHUNK, out, hash);
      out.sync();
      return n;
    }
  }

  /** A request body as Jetty hands it: reads of at most {@code readSize} bytes. */
  static final class ArrayChannel implements ReadableByteChannel {
    private final byte[] data;
    private final int readSize;
    private int pos;

    ArrayChannel(byte[] data, int readSize) {
      this.data = data;
      this.readSize = readSize;
    }

    @Override
    public int read(ByteBuffer dst) {
      if (pos == data.length) {
        return -1;
      }
      int n = Math.min(Math.min(dst.remaining(), readSize), data.length - pos);
      dst.put(data, pos, n);
      pos += n;
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
