package dev.farmapi.bench.jmh;

import dev.farmapi.server.http.ContentRange;
import dev.farmapi.server.upload.ChunkRange;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Parsing one resumable chunk's {@code Content-Range}: once per request, so it must be noise. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ContentRangeBench {
  /** A mid-upload 8 MiB chunk of a 1 GiB file, a status query, an unknown total. */
  @Param({"bytes 8388608-16777215/1073741824", "bytes */1073741824", "bytes 0-262143/*"})
  public String header;

  @Benchmark
  public ChunkRange parse() {
    return ContentRange.parse(header);
  }

  @Benchmark
  public String parseAndFormat() {
    return ContentRange.parse(header).toString(); // what a 308's Range echo costs too
  }
}
