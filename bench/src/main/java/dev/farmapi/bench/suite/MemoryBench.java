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
 * non-seekable stream of unknown size (stdin) in small chunks. Ours runs as the farm launcher
 * starts a client command ({@link dev.farmapi.bench.run.FarmLauncher}), with nothing added; the
 * Java peer with {@code -Xmx64m} (what a user who cares about memory would set) and with
 * default flags. The server is on tmpfs: only the client is measured here.
 */
public final class MemoryBench {
  public static final String ID = "memory";
  /** The JVM flags of the peer's "small heap" case. */
  public static final List<String> SMALL_HEAP = List.of("-Xmx64m");
  /** Our cases' label suffix: the flags the farm launcher gives client commands, no others. */
  public static final String LAUNCHER = "launcher defaults";

  /** One measured case. */
  record Case(String label, Who who, boolean stream, List<String> flags) {}

  private MemoryBench() {}

  public static List<String> labels(Sizes sizes) {
    return cases(sizes).stream().map(Case::label).toList();
  }

  static List<Case> cases(Sizes sizes) {
    String file = "file, " + Sizes.human(sizes.memoryFileChunk()) + " chunks";
    String stream = "stream, " + Sizes.human(sizes.memoryStreamChunk()) + " chunks";
    Case oursFile = new Case("ours " + file + ", " + LAUNCHER, Who.OURS, false, List.of());
    Case oursStream = new Case("ours " + stream + ", " + LAUNCHER, Who.OURS, true, List.of());
    if (sizes.lean()) {
      return List.of(oursFile, oursStream);
    }
    return List.of(
        oursFile,
        new Case("Java peer " + file + ", -Xmx64m", Who.JAVA, false, SMALL_HEAP),
        new Case("Java peer " + file + ", default flags", Who.JAVA, false, List.of()),
        new Case("Python peer " + file, Who.PYTHON, false, List.of()),
        oursStream,
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
