package dev.farmapi.bench;

import dev.farmapi.bench.report.Results;
import dev.farmapi.bench.run.Clients;
import dev.farmapi.bench.run.Endpoint;
import dev.farmapi.bench.run.Launch;
import dev.farmapi.bench.run.Run;
import dev.farmapi.bench.run.ServerApi;
import dev.farmapi.bench.run.ServerProcess;
import dev.farmapi.bench.run.Sources;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What every benchmark works with: the sizes, how to launch things, the clients, the cached
 * sources, where the disk and tmpfs data go, the results; and the shared chores (a fresh
 * server, recording a run that verified, deleting what it stored).
 *
 * @param disk a folder on the root disk for data that must be durable
 * @param tmpfs a folder on /dev/shm for data where the disk must not count
 */
public record Context(Sizes sizes, Launch launch, Clients clients, Sources sources, Path disk,
    Path tmpfs, Results results, PrintStream log) {

  /** A fresh server with an empty data folder {@code name} under {@code where}. */
  public ServerProcess server(Path where, String name) throws IOException {
    Path data = where.resolve(name);
    deleteTree(data);
    return ServerProcess.start(launch.serverPrefix(), data);
  }

  /**
   * Records a run under {@code subject} when every upload verified (the caller adds its own
   * metrics then) and deletes what it stored; returns whether it counted.
   */
  public boolean counted(String bench, String subject, Run run, Endpoint server)
      throws IOException, InterruptedException {
    log.printf("  %-34s %s%n", subject, run.verified()
        ? String.format("%.2f s, %.0f MiB/s, cpu %.2f s, rss %.0f MiB, %d uploads verified",
            run.transferSeconds(), run.mibPerSecond(), run.proc().cpu(), run.proc().maxRssMiB(),
            run.uploads())
        : "DID NOT COUNT: " + run.failure());
    ServerApi api = new ServerApi(server);
    if (run.bytes() / Math.max(1, run.uploads()) >= (1 << 20)) {
      for (String id : run.ids()) {
        if (!id.isEmpty()) {
          api.delete(id);
        }
      }
    }
    if (!run.verified()) {
      results.fail(bench, subject, run.failure());
      return false;
    }
    results.verified(run.uploads());
    return true;
  }

  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
