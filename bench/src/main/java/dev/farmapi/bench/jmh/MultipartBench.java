package dev.farmapi.bench.jmh;

import dev.farmapi.server.http.MultipartReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The server reading a multipart upload as the apiclient sends it: a JSON metadata part and a
 * media part of random bytes, CRLF framing. Throughput in MB/s = ops/s x body size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MultipartBench {
  private static final String BOUNDARY = "__farmapi_boundary_7d2c94f1e0b84a3c__";

  @Param({"16384", "1048576"})
  public int mediaSize;

  private byte[] body;
  private final byte[] sink = new byte[64 * 1024];

  @Setup
  public void setUp() throws IOException {
    byte[] media = new byte[mediaSize];
    new Random(42).nextBytes(media);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head = "--" + BOUNDARY + "\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n"
        + "{\"name\":\"Daisy\",\"species\":\"cow\",\"farm\":\"green-acres\"}\r\n--" + BOUNDARY
        + "\r\nContent-Type: application/octet-stream\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(media);
    out.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
    body = out.toByteArray();
  }

  /** Reads every part to its end; returns the bytes seen so nothing is dead code. */
  @Benchmark
  public long readAllParts() throws IOException {
    MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body), BOUNDARY);
    long total = 0;
    while (reader.nextPart() != null) {
      InputStream part = reader.partBody();
      for (int n; (n = part.read(sink, 0, sink.length)) != -1; ) {
        total += n;
      }
    }
    return total;
  }

  /** The baseline: the same bytes through the same 64 KiB reads with no parsing. */
  @Benchmark
  public long plainRead() throws IOException {
    InputStream in = new ByteArrayInputStream(body);
    long total = 0;
    for (int n; (n = in.read(sink, 0, sink.length)) != -1; ) {
      total += n;
    }
    return total;
  }
}
