package dev.farmapi.bench.suite;

import dev.farmapi.bench.ClusterSizes;
import dev.farmapi.bench.Context;
import dev.farmapi.bench.run.Endpoint;
import dev.farmapi.bench.run.LocalCluster;
import dev.farmapi.bench.run.Meter;
import dev.farmapi.bench.run.Run;
import dev.farmapi.bench.run.Source;
import dev.farmapi.bench.run.Who;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The scale-out benchmarks (docs/CLUSTER-BENCHMARKS.md): our client's uploads to the local store
 * ({@code farm serve} on SQLite and a folder) and to clusters on the shared stores (PostgreSQL
 * and S3Proxy, {@code deploy/local-cluster}). Every run measures, besides the client process,
 * the CPU of every serving part (from /proc, before and after) and what else the
 * machine ran meanwhile, since on one shared machine the parts compete for the same cores.
 */
public final class ClusterBench {
  public static final String LOAD = "cluster-load";
  public static final String STORE = "cluster-store";
  public static final String CHUNKS = "cluster-chunks";
  static final double GIB = 1 << 30;

  /**
   * Where uploads go and the processes that serve them, by part; the first part is the Farm
   * server or servers (whose peak RSS the reports show).
   */
  public record Target(String subject, Endpoint endpoint, Map<String, List<Long>> parts) {
    List<Long> servers() {
      return parts.values().iterator().next();
    }
  }

  private ClusterBench() {}

  /**
   * Many concurrent resumable uploads from one process of ours to each target, repetitions
   * interleaved; the same load once first, not counted, to warm the servers up (three fresh
   * JVMs take a while: with a single upload as warm-up, the nodes' CPU per GiB still fell by
   * half from the first repetition to the third).
   */
  public static void load(Context c, ClusterSizes sizes, List<Target> targets)
      throws IOException, InterruptedException {
    Source src = c.sources().file(sizes.loadSize());
    warmUp(c, sizes, targets, src, sizes.loadUploads());
    for (int rep = 0; rep < sizes.reps(); rep++) {
      c.log().println(" rep " + (rep + 1));
      for (Target t : targets) {
        measure(c, LOAD, t, src, sizes.chunk(), sizes.loadUploads());
      }
    }
  }

  /** One big upload to each target: what a GiB costs each store. */
  public static void store(Context c, ClusterSizes sizes, List<Target> targets)
      throws IOException, InterruptedException {
    Source src = c.sources().file(sizes.storeSize());
    warmUp(c, sizes, targets, c.sources().file(sizes.smallChunkSize()), 1);
    for (int rep = 0; rep < sizes.reps(); rep++) {
      c.log().println(" rep " + (rep + 1));
      for (Target t : targets) {
        measure(c, STORE, t, src, sizes.chunk(), 1);
      }
    }
  }

  /** One upload in small chunks to each target: on S3, the path that stages tails. */
  public static void chunks(Context c, ClusterSizes sizes, List<Target> targets)
      throws IOException, InterruptedException {
    Source src = c.sources().file(sizes.smallChunkSize());
    for (int rep = 0; rep < sizes.reps(); rep++) {
      c.log().println(" rep " + (rep + 1));
      for (Target t : targets) {
        measure(c, CHUNKS, t, src, sizes.smallChunk(), 1);
      }
    }
  }

  // Uploads to each target that do not count: the JIT of every node (the balancer spreads the
  // chunks) and the connection pools warm up.
  private static void warmUp(Context c, ClusterSizes sizes, List<Target> targets, Source src,
      int uploads) throws IOException, InterruptedException {
    if (sizes.lean()) {
      return;
    }
    for (Target t : targets) {
      Run run = uploads == 1
          ? c.clients().file(Who.OURS, t.endpoint(), src, sizes.chunk(), List.of())
          : c.clients().load(t.endpoint(), src, sizes.chunk(), uploads);
      c.counted("warm-up", t.subject(), run, t.endpoint());
    }
  }

  private static void measure(Context c, String bench, Target t, Source src, long chunk,
      int uploads) throws IOException, InterruptedException {
    src.warm(); // before the clock: the harness's page-cache read is nobody's cost
    Meter before = Meter.read(t.parts());
    Run run = uploads == 1
        ? c.clients().file(Who.OURS, t.endpoint(), src, chunk, List.of())
        : c.clients().load(t.endpoint(), src, chunk, uploads);
    Meter used = Meter.read(t.parts()).since(before);
    double peak = Meter.peakRssMiB(t.servers());
    double gib = run.bytes() / GIB;
    StringBuilder parts = new StringBuilder();
    used.cpu().forEach((part, cpu) -> parts.append(String.format(" %s %.2f", part, cpu)));
    c.log().printf("  %-44s server-side cpu s:%s; other processes' cpu %.1f s%n", t.subject(),
        parts, used.otherCpu(run.proc().cpu()));
    if (!c.counted(bench, t.subject(), run, t.endpoint())) {
      return;
    }
    String s = t.subject();
    c.results().add(bench, s, "MiB/s", run.mibPerSecond());
    c.results().add(bench, s, "seconds", run.transferSeconds());
    c.results().add(bench, s, "server cpu s/GiB", used.totalCpu() / gib);
    used.cpu().forEach((part, cpu) -> c.results().add(bench, s, part + " cpu s/GiB", cpu / gib));
    c.results().add(bench, s, "client cpu s/GiB", run.cpuPerGiB());
    c.results().add(bench, s, "server peak RSS MiB", peak);
    List<Long> s3proxy = t.parts().get(LocalCluster.S3PROXY);
    if (s3proxy != null) {
      c.results().add(bench, s, "S3Proxy peak RSS MiB", Meter.peakRssMiB(s3proxy));
    }
    // Of all the cores' time while the client ran, the share other processes took.
    c.results().add(bench, s, "other cpu %", 100 * used.otherCpu(run.proc().cpu())
        / (Runtime.getRuntime().availableProcessors() * run.proc().wall()));
    c.results().add(bench, s, "uploads verified", run.uploads());
  }
}
