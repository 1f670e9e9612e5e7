package dev.farmapi.bench;

import dev.farmapi.bench.report.ClusterFacts;
import dev.farmapi.bench.report.ClusterReportWriter;
import dev.farmapi.bench.report.MachineFacts;
import dev.farmapi.bench.report.Results;
import dev.farmapi.bench.run.Clients;
import dev.farmapi.bench.run.FarmLauncher;
import dev.farmapi.bench.run.Launch;
import dev.farmapi.bench.run.LocalCluster;
import dev.farmapi.bench.run.ServerProcess;
import dev.farmapi.bench.run.Sources;
import dev.farmapi.bench.suite.ClusterBench;
import dev.farmapi.bench.suite.ClusterBench.Target;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the scale-out benchmarks and writes {@code CLUSTER-BENCHMARKS.md} (see
 * {@link ClusterOptions} for the command line; {@code bench/cluster-run} builds the jars and
 * calls this). It starts a local {@code farm serve} and clusters of 1 and 3 nodes with
 * {@code deploy/local-cluster}, and stops them all, whatever happens.
 */
public final class ClusterBenchMain {
  /** The heap of every server, local or node: deploy/local-cluster's default for its nodes. */
  static final String SERVER_HEAP = "-Xmx512m";
  static final String LOCAL = "local store (SQLite + folder)";
  static final String ONE = "1 node via nginx (PostgreSQL + S3Proxy)";
  static final String THREE = "3 nodes via nginx (PostgreSQL + S3Proxy)";
  static final String NODE = "1 node, direct (PostgreSQL + S3Proxy)";

  private ClusterBenchMain() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    ClusterOptions o = ClusterOptions.parse(args);
    if (o == null) {
      System.exit(2);
    }
    System.exit(run(o, System.out));
  }

  /** Runs the selected benchmarks; returns 0 when every run counted, 1 otherwise. */
  public static int run(ClusterOptions o, PrintStream log) throws Exception {
    Results results;
    if (o.from() != null) {
      results = Results.read(o.from());
    } else {
      results = measure(o, log);
      results.write(o.out().resolve("bench/cluster-results.json"));
    }
    Path report = o.out().resolve("CLUSTER-BENCHMARKS.md");
    new ClusterReportWriter(results, o.sizes()).write(report);
    log.println("Wrote " + report + " and " + o.out().resolve("bench/cluster-results.json"));
    results.failures().forEach(f -> log.println("  did not count: " + f));
    return results.failures().isEmpty() ? 0 : 1;
  }

  private static Results measure(ClusterOptions o, PrintStream log) throws Exception {
    Path work = Files.createDirectories(o.work().toAbsolutePath());
    Path data = Files.createDirectories(work.resolve("data"));
    List<String> server = new ArrayList<>(o.serverPrefix());
    server.add(1, SERVER_HEAP);
    FarmLauncher farm = o.serverJar() == null ? FarmLauncher.NONE
        : FarmLauncher.of(o.serverJar(), o.java());
    // No Python peer here: our client only.
    Launch launch = new Launch(o.java(), server, o.clientClasspath(), null, farm);
    Results results = new Results();
    results.fact("command", o.commandLine());
    results.fact("mode", o.mode() + ", " + o.sizes().reps() + " repetition(s)");
    MachineFacts.collect(results, data, data);
    results.facts().remove("tmpfs"); // nothing here runs on tmpfs
    results.facts().remove("Java peer");
    results.facts().remove("Python peer");
    results.facts().remove("curl");
    results.fact("servers started with", String.join(" ", server.subList(0, 2)) + " ...");
    results.fact("client started with", String.join(" ", farm.flags()));
    ClusterFacts.collect(results, o.clusterScript());
    // The sizes field is the main bench's; this one has its own (ClusterSizes).
    Context c = new Context(null, launch, new Clients(launch, work.resolve("scratch")),
        new Sources(work.resolve("src")), data, data, results, log);
    String farmCommand = String.join(" ", server);
    long start = System.nanoTime();
    ServerProcess local = null;
    LocalCluster one = null;
    LocalCluster three = null;
    try {
      local = c.server(data, "local");
      Target localTarget = new Target(LOCAL, local, Map.of("farm serve", List.of(local.pid())));
      one = LocalCluster.up(o.clusterScript(), 1, work.resolve("cluster-1"), farmCommand);
      if (o.runs("load")) {
        three = LocalCluster.up(o.clusterScript(), 3, work.resolve("cluster-3"), farmCommand);
        LocalCluster c1 = one;
        LocalCluster c3 = three;
        run(c, "load", () -> ClusterBench.load(c, o.sizes(), List.of(localTarget,
            new Target(ONE, c1, c1.parts()), new Target(THREE, c3, c3.parts()))));
        three.close(); // idle nodes would only take memory from the rest
        three = null;
      }
      Map<String, List<Long>> direct = new LinkedHashMap<>(one.parts());
      direct.remove(LocalCluster.NGINX);
      Target node = new Target(NODE, one.node(0), direct);
      if (o.runs("store")) {
        run(c, "store", () -> ClusterBench.store(c, o.sizes(), List.of(localTarget, node)));
      }
      if (o.runs("chunks")) {
        run(c, "chunks", () -> ClusterBench.chunks(c, o.sizes(), List.of(localTarget, node)));
      }
    } finally {
      for (AutoCloseable a : new AutoCloseable[] {three, one, local}) {
        if (a != null) {
          try {
            a.close();
          } catch (Exception e) {
            log.println("could not stop " + a + ": " + e);
            results.fail("harness", "stop", e.toString());
          }
        }
      }
      Context.deleteTree(data);
      Context.deleteTree(work.resolve("scratch"));
    }
    MachineFacts.loadAverage(results, "load average at end");
    results.fact("harness wall time", String.format("%.0f s", (System.nanoTime() - start) / 1e9));
    return results;
  }

  private interface Body {
    void run() throws Exception;
  }

  // A benchmark that throws is recorded as a failure of the harness; the others still run.
  private static void run(Context c, String id, Body body) {
    long t0 = System.nanoTime();
    MachineFacts.loadAverage(c.results(), "load average before " + id);
    c.log().println("== " + id);
    try {
      body.run();
    } catch (Exception e) {
      c.results().fail(id, "harness", e.toString());
      c.log().println("  FAILED: " + e);
    }
    c.log().printf("   (%s took %.0f s)%n", id, (System.nanoTime() - t0) / 1e9);
  }
}
