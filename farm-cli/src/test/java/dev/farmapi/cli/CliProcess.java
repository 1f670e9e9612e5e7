package dev.farmapi.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code farm} command in a child JVM on this test's classpath, its stdout and stderr pipes
 * (not terminals) read as they come, its environment this one's plus {@code env}: a client that
 * can be killed like one. Closing it kills it if it still runs.
 */
final class CliProcess implements AutoCloseable {
  private final Process process;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Thread outReader;
  private final Thread errReader;

  private CliProcess(Process process) {
    this.process = process;
    this.outReader = drain(process.getInputStream(), out, "farm-stdout");
    this.errReader = drain(process.getErrorStream(), err, "farm-stderr");
  }

  static CliProcess start(Map<String, String> env, List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", // starts fast, stays small
        "-cp", System.getProperty("java.class.path"), "dev.farmapi.cli.Main"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("FARM_SERVER");
    builder.environment().remove("FARM_API_KEY");
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    return new CliProcess(process);
  }

  private static Thread drain(InputStream in, ByteArrayOutputStream sink, String name) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[8192];
      try (in) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          synchronized (sink) {
            sink.write(buffer, 0, n);
          }
        }
      } catch (IOException e) {
        // the process is gone
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Waits for the exit and the last output; fails the test past {@code timeout}. */
  int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("farm did not finish in " + timeout + "; stderr:\n" + err());
    }
    outReader.join(10_000);
    errReader.join(10_000);
    return process.exitValue();
  }

  /** kill -9: SIGKILL, no shutdown hooks, nothing flushed. Returns the exit status. */
  int kill9() throws InterruptedException {
    process.destroyForcibly();
    return waitFor(Duration.ofSeconds(30));
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String out() {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  String err() {
    synchronized (err) {
      return err.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Override
  public String toString() {
    return "--- stdout\n" + out() + "--- stderr\n" + err();
  }
}
