package dev.farmapi.server.testing;

import dev.farmapi.server.FarmServer;
import dev.farmapi.server.ServerConfig;
import dev.farmapi.server.store.PostgresDatabase;
import dev.farmapi.server.store.S3Location;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One node of a test cluster: a Farm server in a child JVM on the cluster's shared PostgreSQL and
 * S3 store, on a fixed port (so that the balancer's list stays right across restarts). A test can
 * SIGKILL it mid-request and start it again. {@link #main} is the child's side.
 */
public final class ClusterNode implements AutoCloseable {
  private final int port;
  private final String database;
  private final String blobs;
  private final Map<String, String> env;
  private final Path log;
  private Process process;

  ClusterNode(int port, String database, String blobs, Map<String, String> env, Path log) {
    this.port = port;
    this.database = database;
    this.blobs = blobs;
    this.env = env;
    this.log = log;
  }

  /** Starts the child and returns once it listens. */
  public void start() throws IOException, InterruptedException {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(javaBin, "-Xmx256m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        ClusterNode.class.getName(), Integer.toString(port), database, blobs,
        log.resolveSibling(log.getFileName() + ".data").toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    process = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180); // a loaded machine is slow
    while (true) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroyForcibly(); // a node that did not start must not linger
          throw new IOException("cluster node on port " + port + " did not start: "
              + Files.readString(log), e);
        }
        Thread.sleep(50);
      }
    }
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no close; its connections drop, its locks with them. */
  public void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      process = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }

  /**
   * The child: {@code PORT DATABASE_URL BLOBS_URL DATA_DIR}, password and keys from the
   * environment.
   */
  public static void main(String[] args) throws Exception {
    // On shared stores the data folder stays unused; it lies beside the node's log, and goes with it.
    FarmServer server = FarmServer.start(ServerConfig.builder(Path.of(args[3]))
        .port(Integer.parseInt(args[0]))
        .bodyTimeout(Duration.ofSeconds(10))
        .shutdownGrace(Duration.ofSeconds(1))
        .faultInjection(true)
        .database(PostgresDatabase.parse(args[1], System.getenv("FARM_DATABASE_PASSWORD")))
        .blobStore(S3Location.parse(args[2]))
        .build());
    System.out.println("LISTENING " + server.uri());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
