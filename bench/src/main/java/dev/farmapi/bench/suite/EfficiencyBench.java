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
 * that the report can show the CPU per GiB net of it. Beside the peers: our client over the
 * JDK engine, and a Netty client (zero copy with {@code DefaultFileRegion}), both with the
 * launcher's JVM flags, to compare engines in one run.
 */
public final class EfficiencyBench {
  public static final String ID = "efficiency";

  /** Our client over the JDK's HttpClient instead of our engine, launcher flags otherwise. */
  public static final String JDK_ENGINE = "ours, JDK engine";
  /** The comparison engine: a bench-only Netty client sending chunks as DefaultFileRegions. */
  public static final String NETTY = "Netty (FileRegion, bench only)";

  private EfficiencyBench() {}

  private static void measure(Context c, ServerProcess s, Source src, long chunk, Who who,
      String label, List<String> flags) throws IOException, InterruptedException {
    double fixed = c.clients().startup(who, s, flags).cpu();
    Run run = c.clients().file(who, s, src, chunk, flags);
    if (c.counted(ID, label, run, s)) {
      c.results().add(ID, label, "cpu s/GiB", run.cpuPerGiB());
      c.results().add(ID, label, "start-up cpu s", fixed);
      c.results().add(ID, label, "net cpu s/GiB",
          (run.proc().cpu() - fixed) / (run.bytes() / 1073741824.0));
      c.results().add(ID, label, "user s", run.proc().user());
      c.results().add(ID, label, "sys s", run.proc().sys());
      c.results().add(ID, label, "MiB/s", run.mibPerSecond());
      c.results().add(ID, label, "peak RSS MiB", run.proc().maxRssMiB());
    }
  }

  private static void nettyRun(Context c, ServerProcess s, Source src, long chunk)
      throws IOException, InterruptedException {
    Run run = c.clients().netty(s, src, chunk);
    if (c.counted(ID, NETTY, run, s)) {
      c.results().add(ID, NETTY, "cpu s/GiB", run.cpuPerGiB());
      c.results().add(ID, NETTY, "user s", run.proc().user());
      c.results().add(ID, NETTY, "sys s", run.proc().sys());
      c.results().add(ID, NETTY, "MiB/s", run.mibPerSecond());
      c.results().add(ID, NETTY, "peak RSS MiB", run.proc().maxRssMiB());
    }
  }

  public static void run(Context c) throws IOException, InterruptedException {
    Source src = c.sources().file(c.sizes().durable());
    long chunk = c.sizes().chunk();
    try (ServerProcess s = c.server(c.tmpfs(), "efficiency")) {
      DurableBench.warmUp(c, s, src, chunk);
      for (int rep = 0; rep < c.sizes().reps(); rep++) {
        c.log().println(" rep " + (rep + 1));
        for (Who who : DurableBench.CLIENTS) {
          measure(c, s, src, chunk, who, who.label(), List.of());
        }
        if (!c.sizes().lean()) {
          measure(c, s, src, chunk, Who.OURS, JDK_ENGINE, List.of("-Dfarmapi.engine=jdk"));
          nettyRun(c, s, src, chunk);
        }
      }
    }
  }
}
