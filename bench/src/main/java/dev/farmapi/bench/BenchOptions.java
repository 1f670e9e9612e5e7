package dev.farmapi.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line of {@link BenchMain}.
 *
 * <pre>
 *   [--quick | --tiny] [--reps N]
 *   [--only durable,efficiency,memory,load,small,sweep,one,wan,downloads]
 *   [--out DIR] [--work DIR] [--shm DIR] [--baseline OLD_RESULTS.json]
 *   [--server-jar farm.jar | --server-cp CLASSPATH] [--client-cp CLASSPATH]
 *   [--from RESULTS.json]   (no run: the report again from a run's raw results, with the
 *                            same --quick/--tiny/--reps as that run)
 * </pre>
 *
 * @param mode full, quick or tiny
 * @param out where BENCHMARKS.md and bench/ (charts, results.json) go
 * @param work sources cache and disk data (on the root disk)
 * @param shm tmpfs data
 * @param serverPrefix the command before {@code serve ...}
 * @param clientClasspath the class path of the client mains
 * @param from the raw results to report on instead of running, or null
 */
public record BenchOptions(String mode, Sizes sizes, List<String> only, Path out, Path work,
    Path shm, Path baseline, String java, List<String> serverPrefix, String clientClasspath,
    String commandLine, Path from) {

  /** The farm.jar the server runs from (and the launcher runs), or null with class folders. */
  public Path serverJar() {
    int i = serverPrefix.indexOf("-jar");
    return i < 0 ? null : Path.of(serverPrefix.get(i + 1));
  }

  private static final String USAGE = "usage: BenchMain [--quick|--tiny] [--reps N] "
      + "[--only " + String.join(",", BenchMain.benchIds()) + "] [--out DIR] [--work DIR] "
      + "[--shm DIR] [--baseline OLD.json] [--server-jar JAR | --server-cp CP] [--client-cp CP] "
      + "[--from RESULTS.json]";

  /** The options, or null (after printing the usage) when they do not parse. */
  public static BenchOptions parse(String... args) {
    String mode = "full";
    int reps = 3;
    boolean repsSet = false;
    List<String> only = new ArrayList<>();
    Path out = Path.of("docs");
    Path work = Path.of("/work/tmp-bench");
    Path shm = Path.of("/dev/shm/farm-bench");
    Path baseline = null;
    Path from = null;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> server = List.of(java, "-jar", "farm-cli/target/farm.jar");
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
          case "--shm" -> shm = Path.of(args[++i]);
          case "--baseline" -> baseline = Path.of(args[++i]);
          case "--server-jar" -> server = List.of(java, "-jar", args[++i]);
          case "--server-cp" -> server = List.of(java, "-cp", args[++i], "dev.farmapi.cli.Main");
          case "--client-cp" -> cp = args[++i];
          case "--from" -> from = Path.of(args[++i]);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (!BenchMain.benchIds().containsAll(only)) {
        throw new IllegalArgumentException("unknown benchmark in --only " + only);
      }
    } catch (RuntimeException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      return null;
    }
    Sizes base = switch (mode) {
      case "quick" -> Sizes.quick();
      case "tiny" -> Sizes.tiny();
      default -> Sizes.full(reps);
    };
    Sizes sizes = repsSet ? base.withReps(reps) : base;
    return new BenchOptions(mode, sizes, List.copyOf(only), out, work, shm, baseline, java,
        server, cp, commandLine(args), from);
  }

  // What a reader would type: bench/run adds the jar options itself.
  private static String commandLine(String... args) {
    StringBuilder out = new StringBuilder("bench/run");
    for (int i = 0; i < args.length; i++) {
      if (List.of("--server-jar", "--server-cp", "--client-cp").contains(args[i])) {
        i++;
      } else {
        out.append(' ').append(args[i]);
      }
    }
    return out.toString();
  }
}
