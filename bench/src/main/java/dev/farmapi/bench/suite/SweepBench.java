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
 * 7. Chunk-size sweep: one file uploaded resumably at each chunk size, ours and the Java peer,
 * to a server on tmpfs (so the per-chunk cost of client and protocol shows, not the disk's).
 */
public final class SweepBench {
  public static final String ID = "sweep";
  public static final List<Who> CLIENTS = List.of(Who.OURS, Who.JAVA);

  private SweepBench() {}

  public static String metric(long chunk) {
    return "MiB/s @ " + Sizes.human(chunk);
  }

  public static void run(Context c) throws IOException, InterruptedException {
    Source src = c.sources().file(c.sizes().sweepSize());
    try (ServerProcess s = c.server(c.tmpfs(), "sweep")) {
      DurableBench.warmUp(c, s, src, c.sizes().chunk());
      for (int rep = 0; rep < c.sizes().reps(); rep++) {
        c.log().println(" rep " + (rep + 1));
        for (long chunk : c.sizes().sweepChunks()) {
          for (Who who : CLIENTS) {
            Run run = c.clients().file(who, s, src, chunk, List.of());
            if (c.counted(ID, who.label() + " " + Sizes.human(chunk), run, s)) {
              c.results().add(ID, who.label(), metric(chunk), run.mibPerSecond());
            }
          }
        }
      }
    }
  }
}
