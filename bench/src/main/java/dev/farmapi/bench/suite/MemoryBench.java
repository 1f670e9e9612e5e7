package dev.farmapi.bench.suite;

import dev.farmapi.bench.Context;
import dev.farmapi.bench.Sizes;
import dev.farmapi.bench.run.Run;
import dev.farmapi.bench.run.ServerProcess;
import dev.farmapi.bench.run.Source;
import dev.farmapi.bench.run.Who;
import java.io.IOException;
import java.util.List;

/**
 * 4. Memory: the client's peak RSS uploading a big file in big chunks, and the same bytes as a
 * non-seekable stream of unknown size (stdin) in small chunks. The Java clients run with
 * {@code -Xmx64m} (what a user who cares about memory would set) and with default flags. The
 * server is on tmpfs: only the client is measured here.
 */
public final class MemoryBench {
  public static final String ID = "memory";
  /** The JVM flags of the "small heap" cases. */
  public static final List<String> SMALL_HEAP = List.of("-Xmx64m");
  /**
   * The flags we recommend for our client when memory matters. A small heap, the serial GC (no
   * G1 remembered sets or worker threads) and C1 only ({@code TieredStopAtLevel=1}: no C2
   * compiler threads, arenas or code cache; the upload path is I/O and intrinsics, so C2 buys
   * nothing). Measured for 2 GiB in 256 MiB chunks (bench/OPTIMIZATIONS.md): peak RSS ~90 MB
   * against ~125 MB with -Xmx64m alone and ~100 MB with the serial GC, and less CPU.
   */
  public static final List<String> OURS_LEAN =
      List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  /** One measured case. */
  record Case(String label, Who who, boolean stream, List<String> flags) {}

  private MemoryBench() {}

  public static List<String> labels(Sizes sizes) {
    return cases(sizes).stream().map(Case::label).toList();
  }

  static List<Case> cases(Sizes sizes) {
    String file = "file, " + Sizes.human(sizes.memoryFileChunk()) + " chunks";
    String stream = "stream, " + Sizes.human(sizes.memoryStreamChunk()) + " chunks";
    if (sizes.lean()) {
      return List.of(new Case("ours " + file + ", -Xmx64m", Who.OURS, false, SMALL_HEAP),
          new Case("ours " + stream + ", -Xmx64m", Who.OURS, true, SMALL_HEAP));
    }
    return List.of(
        new Case("ours " + file + ", -Xmx64m", Who.OURS, false, SMALL_HEAP),
        new Case("ours " + file + ", default flags", Who.OURS, false, List.of()),
        new Case("ours " + file + ", " + String.join(" ", OURS_LEAN), Who.OURS, false,
            OURS_LEAN),
        new Case("Java peer " + file + ", -Xmx64m", Who.JAVA, false, SMALL_HEAP),
        new Case("Java peer " + file + ", default flags", Who.JAVA, false, List.of()),
        new Case("Python peer " + file, Who.PYTHON, false, List.of()),
        new Case("ours " + stream + ", -Xmx64m", Who.OURS, true, SMALL_HEAP),
        new Case("ours " + stream + ", default flags", Who.OURS, true, List.of()),
        new Case("Java peer " + stream + ", default flags", Who.JAVA, true, List.of()));
  }

  public static void run(Context c) throws IOException, InterruptedException {
    Source src = c.sources().file(c.sizes().memoryFile());
    try (ServerProcess s = c.server(c.tmpfs(), "memory")) {
      for (int rep = 0; rep < c.sizes().reps(); rep++) {
        c.log().println(" rep " + (rep + 1));
        for (Case k : cases(c.sizes())) {
          Run run = k.stream()
              ? c.clients().stream(k.who(), s, src, c.sizes().memoryStreamChunk(), k.flags())
              : c.clients().file(k.who(), s, src, c.sizes().memoryFileChunk(), k.flags());
          if (!run.verified() && k.who() != Who.OURS && !k.flags().isEmpty()) {
            // A peer that cannot work in a small heap is a finding, not a harness failure.
            c.log().printf("  %-34s did not complete: %s%n", k.label(), run.failure());
            c.results().note(ID, k.label() + ": did not complete (" + run.failure() + ")");
            continue;
          }
          if (c.counted(ID, k.label(), run, s)) {
            c.results().add(ID, k.label(), "peak RSS MiB", run.proc().maxRssMiB());
            c.results().add(ID, k.label(), "MiB/s", run.mibPerSecond());
          }
        }
      }
    }
  }
}
