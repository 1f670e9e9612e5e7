package dev.farmapi.bench.suite;

import dev.farmapi.bench.Context;
import dev.farmapi.bench.run.Run;
import dev.farmapi.bench.run.ServerProcess;
import dev.farmapi.bench.run.Source;
import dev.farmapi.bench.run.Who;
import java.io.IOException;
import java.util.List;

/**
 * 3. Client efficiency: the durable upload again, to a server on tmpfs so that the disk is out
 * of the way; what counts is the client process's CPU (user+sys, JVM start-up included) per GiB.
 * Each client's fixed cost (a process that starts and makes one small GET) is measured too, so
 * that the report can show the CPU per GiB net of it.
 */
public final class EfficiencyBench {
  public static final String ID = "efficiency";

  private EfficiencyBench() {}

  public static void run(Context c) throws IOException, InterruptedException {
    Source src = c.sources().file(c.sizes().durable());
    long chunk = c.sizes().chunk();
    try (ServerProcess s = c.server(c.tmpfs(), "efficiency")) {
      DurableBench.warmUp(c, s, src, chunk);
      for (int rep = 0; rep < c.sizes().reps(); rep++) {
        c.log().println(" rep " + (rep + 1));
        for (Who who : DurableBench.CLIENTS) {
          double fixed = c.clients().startup(who, s).cpu();
          Run run = c.clients().file(who, s, src, chunk, List.of());
          if (c.counted(ID, who.label(), run, s)) {
            c.results().add(ID, who.label(), "cpu s/GiB", run.cpuPerGiB());
            c.results().add(ID, who.label(), "start-up cpu s", fixed);
            c.results().add(ID, who.label(), "net cpu s/GiB",
                (run.proc().cpu() - fixed) / (run.bytes() / 1073741824.0));
            c.results().add(ID, who.label(), "user s", run.proc().user());
            c.results().add(ID, who.label(), "sys s", run.proc().sys());
            c.results().add(ID, who.label(), "MiB/s", run.mibPerSecond());
            c.results().add(ID, who.label(), "peak RSS MiB", run.proc().maxRssMiB());
          }
        }
      }
    }
  }
}
