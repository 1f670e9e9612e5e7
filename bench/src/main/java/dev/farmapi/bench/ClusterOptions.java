package dev.farmapi.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line of {@link ClusterBenchMain}.
 *
 * <pre>
 *   [--quick | --tiny] [--reps N] [--only load,store,chunks] [--out DIR] [--work DIR]
 *   [--server-jar farm.jar | --server-cp CLASSPATH] [--client-cp CLASSPATH]
 *   [--cluster-script deploy/local-cluster]
 *   [--from RESULTS.json]   (no run: the report again from a run's raw results)
 * </pre>
 *
 * @param mode full, quick or tiny
 * @param out where CLUSTER-BENCHMARKS.md and bench/cluster-results.json go
 * @param work sources cache, the local server's data and the clusters' folders (root disk)
 * @param serverPrefix the command before {@code serve ...}, for the local server and the nodes
 * @param clientClasspath the class path of the client mains
 * @param clusterScript {@code deploy/local-cluster}
 * @param from the raw results to report on instead of running, or null
 */
public record ClusterOptions(String mode, ClusterSizes sizes, List<String> only, Path out,
    Path work, String java, List<String> serverPrefix, String clientClasspath,
    Path clusterScript, String commandLine, Path from) {

  /** The benchmarks, as {@code --only} names them. */
  public static final List<String> IDS = List.of("load", "store", "chunks");

  private static final String USAGE = "usage: ClusterBenchMain [--quick|--tiny] [--reps N] "
      + "[--only " + String.join(",", IDS) + "] [--out DIR] [--work DIR] "
      + "[--server-jar JAR | --server-cp CP] [--client-cp CP] [--cluster-script PATH] "
      + "[--from RESULTS.json]";

  /** The farm.jar the server runs from, or null with class folders. */
  public Path serverJar() {
    int i = serverPrefix.indexOf("-jar");
    return i < 0 ? null : Path.of(serverPrefix.get(i + 1));
  }

  /** Whether {@code id} is to run. */
  public boolean runs(String id) {
    return only.isEmpty() || only.contains(id);
  }

  /** The options, or null (after printing the usage) when they do not parse. */
  public static ClusterOptions parse(String... args) {
    String mode = "full";
    int reps = 3;
    boolean repsSet = false;
    List<String> only = new ArrayList<>();
    Path out = Path.of("docs");
    Path work = Path.of("/work/tmp-cluster-bench");
    Path script = Path.of("deploy/local-cluster");
    Path from = null;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> server = List.of(java, "-jar", Path.of("farm-cli/target/farm.jar")
        .toAbsolutePath().toString());
    String cp = System.getProperty("java.class.path");
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--quick" -> mode = "quick";
          case "--tiny" -> mode = "tiny";
          case "--reps" -> {
            reps = Integer.parseInt(args[++i]);
            repsSet = true;
          }
          case "--only" -> only.addAll(Arrays.asList(args[++i].split(",")));
          case "--out" -> out = Path.of(args[++i]);
          case "--work" -> work = Path.of(args[++i]);
          case "--server-jar" -> server = List.of(java, "-jar",
              Path.of(args[++i]).toAbsolutePath().toString());
          case "--server-cp" -> server = List.of(java, "-cp", args[++i], "dev.farmapi.cli.Main");
          case "--client-cp" -> cp = args[++i];
          case "--cluster-script" -> script = Path.of(args[++i]);
          case "--from" -> from = Path.of(args[++i]);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (!IDS.containsAll(only)) {
        throw new IllegalArgumentException("unknown benchmark in --only " + only);
      }
    } catch (RuntimeException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      return null;
    }
    ClusterSizes base = switch (mode) {
      case "quick" -> ClusterSizes.quick();
      case "tiny" -> ClusterSizes.tiny();
      default -> ClusterSizes.full(reps);
    };
    ClusterSizes sizes = repsSet ? base.withReps(reps) : base;
    return new ClusterOptions(mode, sizes, List.copyOf(only), out, work, java, server, cp,
        script.toAbsolutePath(), commandLine(args), from);
  }

  // What a reader would type: bench/cluster-run adds the jar options itself.
  private static String commandLine(String... args) {
    StringBuilder out = new StringBuilder("bench/cluster-run");
    for (int i = 0; i < args.length; i++) {
      if (List.of("--server-jar", "--server-cp", "--client-cp", "--cluster-script")
          .contains(args[i])) {
        i++;
      } else {
        out.append(' ').append(args[i]);
      }
    }
    return out.toString();
  }
}
