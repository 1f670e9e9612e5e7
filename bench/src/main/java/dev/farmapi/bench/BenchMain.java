package dev.farmapi.bench;

import dev.farmapi.bench.report.MachineFacts;
import dev.farmapi.bench.report.ReportWriter;
import dev.farmapi.bench.report.Results;
import dev.farmapi.bench.run.Clients;
import dev.farmapi.bench.run.FarmLauncher;
import dev.farmapi.bench.run.Launch;
import dev.farmapi.bench.run.Sources;
import dev.farmapi.bench.suite.DownloadsBench;
import dev.farmapi.bench.suite.DurableBench;
import dev.farmapi.bench.suite.EfficiencyBench;
import dev.farmapi.bench.suite.LoadBench;
import dev.farmapi.bench.suite.MemoryBench;
import dev.farmapi.bench.suite.OneUploadBench;
import dev.farmapi.bench.suite.SmallFilesBench;
import dev.farmapi.bench.suite.SweepBench;
import dev.farmapi.bench.suite.WanBench;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the end-to-end benchmarks side by side and writes the report. See {@link BenchOptions}
 * for the command line; {@code bench/run} builds the jars and calls this.
 */
public final class BenchMain {
  /** A benchmark body. */
  interface Body {
    void run(Context c) throws Exception;
  }

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    BenchOptions o = BenchOptions.parse(args);
    if (o == null) {
      System.exit(2);
    }
    System.exit(run(o, System.out));
  }

  /** Runs the selected benchmarks; returns 0 when every run counted, 1 otherwise. */
  public static int run(BenchOptions o, PrintStream log) throws Exception {
    if (o.from() != null) {
      Results old = Results.read(o.from());
      report(o, old, log);
      return old.failures().isEmpty() ? 0 : 1;
    }
    Path work = Files.createDirectories(o.work());
    Path disk = Files.createDirectories(work.resolve("data"));
    Path tmpfs = Files.createDirectories(o.shm());
    Path script = work.resolve("farm_bench.py");
    try (InputStream in = BenchMain.class.getResourceAsStream("python/farm_bench.py")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    FarmLauncher farm = o.serverJar() == null ? FarmLauncher.NONE
        : FarmLauncher.of(o.serverJar(), o.java());
    Launch launch = new Launch(o.java(), o.serverPrefix(), o.clientClasspath(), script, farm);
    Results results = new Results();
    results.fact("command", o.commandLine());
    results.fact("ours started with", String.join(" ", farm.flags())
        + (farm.sharesClasses() ? "" : " (no CDS archive: none built, or another java)"));
    results.fact("mode", o.mode() + ", " + o.sizes().reps() + " repetition(s)");
    MachineFacts.collect(results, disk, tmpfs);
    Context c = new Context(o.sizes(), launch, new Clients(launch, work.resolve("scratch")),
        new Sources(work.resolve("src")), disk, tmpfs, results, log);

    Map<String, Body> all = new LinkedHashMap<>();
    all.put(DurableBench.ID, DurableBench::run);
    all.put(EfficiencyBench.ID, EfficiencyBench::run);
    all.put(MemoryBench.ID, MemoryBench::run);
    all.put(LoadBench.ID, LoadBench::run);
    all.put(SmallFilesBench.ID, SmallFilesBench::run);
    all.put(SweepBench.ID, SweepBench::run);
    all.put(OneUploadBench.ID, OneUploadBench::run);
    all.put(WanBench.ID, WanBench::run);
    all.put(DownloadsBench.ID, DownloadsBench::run);
    long start = System.nanoTime();
    try {
      for (Map.Entry<String, Body> b : all.entrySet()) {
        if (!o.only().isEmpty() && !o.only().contains(b.getKey())) {
          continue;
        }
        long t0 = System.nanoTime();
        log.println("== " + b.getKey());
        try {
          b.getValue().run(c);
        } catch (Exception e) {
          results.fail(b.getKey(), "harness", e.toString());
          log.println("  FAILED: " + e);
        }
        log.printf("   (%s took %.0f s)%n", b.getKey(), (System.nanoTime() - t0) / 1e9);
      }
    } finally {
      Context.deleteTree(disk);
      Context.deleteTree(tmpfs);
      Context.deleteTree(work.resolve("scratch"));
    }
    MachineFacts.loadAverage(results, "load average at end");
    results.fact("harness wall time", String.format("%.0f s", (System.nanoTime() - start) / 1e9));
    results = keepOthers(o, results, log);
    results.write(o.out().resolve("bench/results.json"));
    report(o, results, log);
    if (!results.failures().isEmpty()) {
      log.println(results.failures().size() + " run(s) did not count:");
      results.failures().forEach(f -> log.println("  " + f));
      return 1;
    }
    return 0;
  }

  /**
   * A run of some benchmarks ({@code --only}) keeps the others' figures of the last run in the
   * same mode, so that the report stays whole; a run in another mode (sizes, repetitions)
   * replaces it.
   */
  private static Results keepOthers(BenchOptions o, Results results, PrintStream log)
      throws java.io.IOException {
    Path raw = o.out().resolve("bench/results.json");
    if (o.only().isEmpty() || !Files.exists(raw)) {
      return results;
    }
    Results earlier = Results.read(raw);
    if (!results.facts().get("mode").equals(earlier.facts().get("mode"))) {
      log.println("The last results (" + earlier.facts().get("mode") + ") are of another mode:"
          + " the report has this run's benchmarks only.");
      return results;
    }
    return Results.keepingOthers(earlier, results, o.only());
  }

  private static void report(BenchOptions o, Results results, PrintStream log) throws Exception {
    Path chartDir = o.out().resolve("bench");
    Results baseline = o.baseline() == null ? null : Results.read(o.baseline());
    new ReportWriter(results, baseline, o.sizes(), o.commandLine())
        .write(o.out().resolve("BENCHMARKS.md"), chartDir);
    log.println("Wrote " + o.out().resolve("BENCHMARKS.md") + " and " + chartDir);
  }

  static List<String> benchIds() {
    return List.of(DurableBench.ID, EfficiencyBench.ID, MemoryBench.ID, LoadBench.ID,
        SmallFilesBench.ID, SweepBench.ID, OneUploadBench.ID, WanBench.ID, DownloadsBench.ID);
  }
}
