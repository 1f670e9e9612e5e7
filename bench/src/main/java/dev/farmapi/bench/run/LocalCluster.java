package dev.farmapi.bench.run;

import dev.farmapi.bench.Context;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A cluster started by {@code deploy/local-cluster up} (PostgreSQL, S3Proxy, N {@code farm
 * serve} nodes, nginx), as an {@link Endpoint} (the balancer) with its nodes reachable directly
 * and the process ids of each part, read from {@code DIR/cluster.env} and the parts' pid files.
 * Closing it runs {@code down} and deletes its data; whatever still runs from its folder after
 * that (a failed {@code up} leaves no cluster.env for {@code down}) is stopped by pid.
 */
public final class LocalCluster implements Endpoint, AutoCloseable {
  /** The parts, as the reports name them. */
  public static final String NODES = "nodes";
  public static final String S3PROXY = "S3Proxy";
  public static final String POSTGRES = "PostgreSQL";
  public static final String NGINX = "nginx";

  private final Path script;
  private final Path dir;
  private final Map<String, String> env;
  private final String farmCommand;

  private LocalCluster(Path script, Path dir, Map<String, String> env, String farmCommand) {
    this.script = script;
    this.dir = dir;
    this.env = env;
    this.farmCommand = farmCommand;
  }

  /**
   * {@code script up --nodes N --dir DIR}, nodes started as {@code farmCommand serve ...} (the
   * script's {@code FARM}); its output goes to {@code DIR.log}.
   */
  public static LocalCluster up(Path script, int nodes, Path dir, String farmCommand)
      throws IOException, InterruptedException {
    Path dirAbs = dir.toAbsolutePath();
    Context.deleteTree(dirAbs);
    LocalCluster c = new LocalCluster(script, dirAbs, Map.of(), farmCommand);
    try {
      c.script("up", "--nodes", Integer.toString(nodes));
      LocalCluster up = new LocalCluster(script, dirAbs, readEnv(dirAbs), farmCommand);
      up.parts(); // every pid is there and running
      return up;
    } catch (IOException | RuntimeException | InterruptedException e) {
      c.close();
      throw e;
    }
  }

  private void script(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--dir", dir.toString()));
    Path log = log();
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("FARM", farmCommand);
    Process p = pb.start();
    if (!p.waitFor(600, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor();
    }
    if (p.exitValue() != 0) {
      String out = Files.readString(log).strip();
      throw new IOException("local-cluster " + args[0] + " failed (exit " + p.exitValue()
          + "): " + out.substring(Math.max(0, out.length() - 600)));
    }
  }

  private Path log() {
    return dir.resolveSibling(dir.getFileName() + ".log");
  }

  // DIR/cluster.env as a shell would read it: NAME=value or NAME="value" lines.
  private static Map<String, String> readEnv(Path dir) throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String line : Files.readAllLines(dir.resolve("cluster.env"))) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        env.put(line.substring(0, eq), line.substring(eq + 1).replace("\"", ""));
      }
    }
    return env;
  }

  /** The balancer's URL. */
  @Override
  public URI root() {
    return URI.create(env.get("FARM_SERVER"));
  }

  @Override
  public String key() {
    return env.get("FARM_API_KEY");
  }

  /** Node {@code i} (0-based), reached directly, past the balancer. */
  public Endpoint node(int i) {
    return Endpoint.of(URI.create(env.get("NODE_URLS").split(" ")[i]), key());
  }

  /**
   * The process ids of each part, by name ({@link #NODES}, {@link #S3PROXY}, {@link #POSTGRES}
   * with its backends as children, {@link #NGINX} with its worker); each must be running.
   */
  public Map<String, List<Long>> parts() throws IOException {
    Map<String, List<Long>> parts = new LinkedHashMap<>();
    List<Long> nodes = new ArrayList<>();
    for (String pid : env.get("NODE_PIDS").split(" ")) {
      nodes.add(Long.parseLong(pid));
    }
    parts.put(NODES, nodes);
    parts.put(S3PROXY, List.of(Long.parseLong(env.get("S3PROXY_PID"))));
    parts.put(POSTGRES, List.of(firstNumber(Path.of(env.get("PG_DIR"), "data",
        "postmaster.pid"))));
    parts.put(NGINX, List.of(firstNumber(dir.resolve("nginx/nginx.pid"))));
    for (Map.Entry<String, List<Long>> part : parts.entrySet()) {
      for (long pid : part.getValue()) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          throw new IOException(part.getKey() + " (pid " + pid + ") is not running");
        }
      }
    }
    return parts;
  }

  private static long firstNumber(Path pidFile) throws IOException {
    return Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
  }

  /** {@code down}, then every process still started from this cluster's folder, then its data. */
  @Override
  public void close() throws IOException, InterruptedException {
    // The script puts PostgreSQL under /tmp (DIR/pg a link to it) when postgres cannot enter DIR.
    Path pg = dir.resolve("pg");
    Path pgDir = Files.isSymbolicLink(pg) ? Files.readSymbolicLink(pg) : pg;
    try {
      if (Files.exists(dir.resolve("cluster.env"))) {
        script("down");
      }
    } finally {
      stopLeftovers(List.of(dir + "/", pgDir + "/"));
      Context.deleteTree(dir);
      Context.deleteTree(pgDir);
      Files.deleteIfExists(log());
    }
  }

  // A failed `up` (or `down`) can leave parts running that no cluster.env names: they are the
  // processes whose command line names this cluster's folders (nodes, S3Proxy, nginx, postmaster).
  private static void stopLeftovers(List<String> marks) {
    List<ProcessHandle> left = ProcessHandle.allProcesses()
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .filter(p -> p.info().commandLine().map(c -> marks.stream().anyMatch(c::contains))
            .orElse(false))
        .toList();
    left.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : left) {
      p.onExit().completeOnTimeout(p, 15, TimeUnit.SECONDS).join();
      p.destroyForcibly();
    }
  }
}
