package dev.farmapi.bench.jmh;

import dev.farmapi.apiclient.internal.Checksums;
import dev.farmapi.server.upload.BenchAccess;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Hashing 8 MiB (one chunk) while streaming it in buffers, as the client's {@link Checksums}
 * (heap buffers) and the server's MediaHasher (direct buffers from BodyCopier) do, against a
 * plain copy of the same buffers. MB/s = ops/s x 8.39.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HashingBench {
  static final int CHUNK = 8 << 20;

  @Param({"65536"})
  public int bufferSize;

  private byte[] data;
  private ByteBuffer heap;
  private ByteBuffer direct;
  private ByteBuffer copyTarget;

  @Setup
  public void setUp() {
    data = new byte[CHUNK];
    new Random(7).nextBytes(data);
    heap = ByteBuffer.allocate(bufferSize);
    direct = ByteBuffer.allocateDirect(bufferSize);
    copyTarget = ByteBuffer.allocateDirect(bufferSize);
  }

  /** Baseline: fill a buffer and copy it once more, what any streaming copy costs. */
  @Benchmark
  public int plainCopy() {
    int sum = 0;
    for (int off = 0; off < CHUNK; off += bufferSize) {
      ByteBuffer b = fill(direct, off);
      copyTarget.clear();
      copyTarget.put(b);
      sum += copyTarget.position();
    }
    return sum;
  }

  @Benchmark
  public String clientChecksumsHeap() {
    Checksums sums = new Checksums();
    for (int off = 0; off < CHUNK; off += bufferSize) {
      sums.update(fill(heap, off));
    }
    return sums.md5() + sums.crc32c();
  }

  @Benchmark
  public String serverHasherDirect() {
    Object hasher = BenchAccess.newHasher();
    for (int off = 0; off < CHUNK; off += bufferSize) {
      BenchAccess.hash(hasher, fill(direct, off));
    }
    return BenchAccess.md5(hasher);
  }

  @Benchmark
  public byte[] md5Only() throws NoSuchAlgorithmException {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    for (int off = 0; off < CHUNK; off += bufferSize) {
      md5.update(fill(direct, off));
    }
    return md5.digest();
  }

  @Benchmark
  public long crc32cOnly() {
    CRC32C crc = new CRC32C();
    for (int off = 0; off < CHUNK; off += bufferSize) {
      crc.update(fill(direct, off));
    }
    return crc.getValue();
  }

  private ByteBuffer fill(ByteBuffer buffer, int off) {
    buffer.clear();
    buffer.put(data, off, bufferSize);
    return buffer.flip();
  }
}
