package dev.farmapi.server.testing;

import dev.farmapi.server.store.PostgresDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL (Debian's, 15 or later) as a temporary cluster: {@code initdb} into a
 * temporary folder, {@code pg_ctl start} on a free port of 127.0.0.1, password authentication,
 * and {@link #close()} stops it and deletes the folder. Run as root (tests in CI are), the server
 * runs as the {@code postgres} user, since PostgreSQL refuses to run as root.
 */
public final class TempPostgres implements AutoCloseable {
  public static final String USER = "farm";
  public static final String PASSWORD = "farm-test-password";
  private static final AtomicInteger databases = new AtomicInteger();

  private final Path dir;
  private final int port;
  private final Path bin;

  private TempPostgres(Path dir, int port, Path bin) {
    this.dir = dir;
    this.port = port;
    this.bin = bin;
  }

  /** Whether Debian's PostgreSQL server is installed here ({@code apt-get install postgresql}). */
  public static boolean available() {
    return findBin() != null;
  }

  private static Path findBin() {
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(Path::toString)).orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /** Makes and starts a new cluster. */
  public static TempPostgres start() throws IOException, InterruptedException {
    Path bin = findBin();
    if (bin == null) {
      throw new IllegalStateException("PostgreSQL is not installed: apt-get install postgresql");
    }
    Path dir = Files.createTempDirectory("farm-pg-");
    Path data = dir.resolve("data");
    Path pwfile = dir.resolve("pw");
    Files.writeString(pwfile, PASSWORD + "\n");
    run(dir, "chmod", "0755", dir.toString());
    if (isRoot()) {
      run(dir, "chown", "-R", "postgres:postgres", dir.toString());
    }
    int port = freePort();
    TempPostgres pg = new TempPostgres(dir, port, bin);
    pg.asPostgres(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
        "--pwfile=" + pwfile, "--auth=scram-sha-256", "-E", "UTF8", "--no-sync");
    pg.asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60",
        "-l", dir.resolve("log").toString(), "-o",
        options(dir, port), "start");
    return pg;
  }

  /**
   * Server options. A commit is durable against a crash of PostgreSQL itself (synchronous
   * commit, the default, stays on: {@link #crash()} tests exactly that); only fsync is off, which
   * matters when the operating system crashes, which no test does, and costs every test time.
   */
  private static String options(Path dir, int port) {
    return "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir
        + " -c max_connections=300 -c fsync=off -c full_page_writes=off";
  }

  /** A new empty database of this cluster. */
  public PostgresDatabase newDatabase() throws SQLException {
    String name = "farm_" + databases.incrementAndGet();
    try (Connection c = DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, PASSWORD);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return new PostgresDatabase("127.0.0.1", port, name, USER, PASSWORD);
  }

  public int port() {
    return port;
  }

  /** Stops the server abruptly (immediate mode: what a crash of the database host does). */
  public void crash() throws IOException, InterruptedException {
    asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m",
        "immediate", "-w", "stop");
  }

  /** Starts the server again after {@link #crash()}, on the same port. */
  public void restart() throws IOException, InterruptedException {
    asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w",
        "-l", dir.resolve("log").toString(), "-o", options(dir, port), "start");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m",
          "fast", "-w", "stop");
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private void asPostgres(String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (isRoot()) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(List.of(command));
    run(dir, cmd.toArray(String[]::new));
  }

  private static void run(Path dir, String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("farm-pg-cmd", ".log");
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " timed out");
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): "
            + Files.readString(out));
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
