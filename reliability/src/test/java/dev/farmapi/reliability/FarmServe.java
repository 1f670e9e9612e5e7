package dev.farmapi.reliability;

import static org.awaitility.Awaitility.await;

import dev.farmapi.server.testing.RawHttp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@code farm serve} in a child JVM, always on the same data folder and the same port,
 * so that clients keep their session URIs across {@link #kill9()} and {@link #start()}: a server
 * that crashes and comes back, as under a supervisor.
 */
final class FarmServe implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("^Farm server listening on (http://127\\.0\\.0\\.1:\\d+/) .*$");

  private final Path data;
  private final Path log;
  private final int port;
  private final URI uri;
  private Process process;

  private FarmServe(Path data, Path log, int port) {
    this.data = data;
    this.log = log;
    this.port = port;
    this.uri = URI.create("http://127.0.0.1:" + port + "/");
  }

  /** A server on a free port of 127.0.0.1, not started yet. */
  static FarmServe on(Path data, Path log) throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return new FarmServe(data, log, probe.getLocalPort());
    }
  }

  /**
   * Starts the process and waits until it answers /healthz; returns the time it took. A start
   * that fails (the port briefly taken by another socket, say) is tried twice more.
   */
  Duration start() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("farm serve already runs");
    }
    long t0 = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        startOnce();
        return Duration.ofNanos(System.nanoTime() - t0);
      } catch (IOException e) {
        if (attempt == 3) {
          throw e;
        }
        Thread.sleep(1000);
      }
    }
  }

  /**
   * Starts the process and kills it with SIGKILL after {@code delay}, listening or not: a crash
   * in the middle of start-up (recovery of the data folder, the reaper), before any client got
   * in.
   */
  void startAndKillAfter(Duration delay) throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("farm serve already runs");
    }
    process = spawn();
    Thread.sleep(delay.toMillis());
    kill9();
  }

  private Process spawn() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process started = new ProcessBuilder(java,
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
        "-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile", ""),
        "-cp", System.getProperty("java.class.path"),
        "dev.farmapi.cli.Main", "serve", "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--data", data.toString(), "--fault-injection")
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    started.getOutputStream().close();
    return started;
  }

  private void startOnce() throws IOException {
    process = spawn();
    CompletableFuture<String> listening = new CompletableFuture<>();
    Process started = process;
    Thread reader = new Thread(() -> readStdout(started, listening), "farm-serve-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      String at = listening.get(90, TimeUnit.SECONDS);
      if (!at.equals(uri.toString())) {
        throw new IllegalStateException("farm serve listens on " + at + ", not " + uri);
      }
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IOException("farm serve did not start; stderr:\n" + Files.readString(log), e);
    }
    await("GET /healthz").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
        .ignoreExceptions()
        .until(() -> RawHttp.request(uri, "GET", "/healthz").send().status() == 200);
  }

  private static void readStdout(Process process, CompletableFuture<String> listening) {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        Matcher m = LISTENING.matcher(line);
        if (m.matches()) {
          listening.complete(m.group(1));
        }
      }
      listening.completeExceptionally(new IllegalStateException("stdout ended"));
    } catch (IOException e) {
      listening.completeExceptionally(e);
    }
  }

  URI uri() {
    return uri;
  }

  String adminKey() throws IOException {
    return Files.readString(data.resolve("admin.key")).trim();
  }

  /** SIGKILL: no shutdown hook, nothing flushed; waits until the process is gone. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("farm serve (pid " + process.pid() + ") survived SIGKILL");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      kill9();
    }
  }
}
