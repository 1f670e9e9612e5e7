package dev.farmapi.bench.suite;

import dev.farmapi.bench.Context;
import dev.farmapi.bench.run.Run;
import dev.farmapi.bench.run.ServerProcess;
import dev.farmapi.bench.run.Source;
import dev.farmapi.bench.run.Who;
import java.io.IOException;
import java.util.List;

/**
 * 2. Durable throughput: one resumable upload of the durable size in chunks, the server's data
 * on the root disk (it fsyncs each chunk), against dd with fsync onto the same disk. The
 * repetitions interleave the subjects, so that a noisy moment hits them all.
 */
public final class DurableBench {
  public static final String ID = "durable";
  public static final List<Who> CLIENTS = List.of(Who.OURS, Who.JAVA, Who.PYTHON, Who.CURL);

  private DurableBench() {}

  public static void run(Context c) throws IOException, InterruptedException {
    Source src = c.sources().file(c.sizes().durable());
    long chunk = c.sizes().chunk();
    try (ServerProcess s = c.server(c.disk(), "durable")) {
      warmUp(c, s, src, chunk);
      for (int rep = 0; rep < c.sizes().reps(); rep++) {
        c.log().println(" rep " + (rep + 1));
        Dd.measure(c, ID, Dd.ZERO, "/dev/zero", src.size(), c.disk());
        Dd.measure(c, ID, Dd.SOURCE, src.path().toString(), src.size(), c.disk());
        for (Who who : CLIENTS) {
          Run run = c.clients().file(who, s, src, chunk, List.of());
          if (c.counted(ID, who.label(), run, s)) {
            c.results().add(ID, who.label(), "seconds", run.transferSeconds());
            c.results().add(ID, who.label(), "MiB/s", run.mibPerSecond());
            c.results().add(ID, who.label(), "process seconds", run.proc().wall());
          }
        }
      }
    }
  }

  /** One upload of ours that does not count: the server's JIT and the page cache warm up. */
  static void warmUp(Context c, ServerProcess s, Source src, long chunk)
      throws IOException, InterruptedException {
    if (c.sizes().lean()) {
      return;
    }
    Run run = c.clients().file(Who.OURS, s, src, chunk, List.of());
    c.counted("warm-up", "ours", run, s);
  }
}
