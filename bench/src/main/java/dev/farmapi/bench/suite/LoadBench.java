package dev.farmapi.bench.suite;

import dev.farmapi.bench.Context;
import dev.farmapi.bench.run.Run;
import dev.farmapi.bench.run.ServerProcess;
import dev.farmapi.bench.run.Source;
import java.io.IOException;

/**
 * 5. Server under load: many concurrent resumable uploads from one client process of ours, to
 * a fresh server per repetition with its data on the root disk (so that its peak RSS is this
 * load's). Aggregate throughput against dd of the same total bytes; the server's CPU (from
 * /proc, during the uploads) per GiB and its peak RSS (VmHWM).
 */
public final class LoadBench {
  public static final String ID = "load";
  public static final String SUBJECT = "ours, concurrent uploads";

  private LoadBench() {}

  public static void run(Context c) throws IOException, InterruptedException {
    Source src = c.sources().file(c.sizes().loadSize());
    int n = c.sizes().loadUploads();
    long total = n * src.size();
    for (int rep = 0; rep < c.sizes().reps(); rep++) {
      c.log().println(" rep " + (rep + 1));
      Dd.measure(c, ID, Dd.ZERO, "/dev/zero", total, c.disk());
      try (ServerProcess s = c.server(c.disk(), "load")) {
        double cpu0 = s.cpuSeconds();
        Run run = c.clients().load(s, src, c.sizes().chunk(), n);
        double serverCpu = s.cpuSeconds() - cpu0;
        double peak = s.peakRssMiB();
        c.log().printf("  server: cpu %.2f s, peak RSS %.0f MiB%n", serverCpu, peak);
        if (c.counted(ID, SUBJECT, run, s)) {
          c.results().add(ID, SUBJECT, "MiB/s", run.mibPerSecond());
          c.results().add(ID, SUBJECT, "server peak RSS MiB", peak);
          c.results().add(ID, SUBJECT, "server cpu s/GiB", serverCpu / (total / 1073741824.0));
          c.results().add(ID, SUBJECT, "client cpu s/GiB", run.cpuPerGiB());
          c.results().add(ID, SUBJECT, "uploads verified", run.uploads());
        }
      }
    }
  }
}
