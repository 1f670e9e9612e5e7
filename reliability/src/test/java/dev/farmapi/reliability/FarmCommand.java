package dev.farmapi.reliability;

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
 * A {@code farm} command (the real {@code dev.farmapi.cli.Main}) in a child JVM, its output read
 * as it comes: a client that can be killed with SIGKILL at any point.
 */
final class FarmCommand implements AutoCloseable {
  private final Process process;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Thread outReader;
  private final Thread errReader;

  private FarmCommand(Process process) {
    this.process = process;
    this.outReader = drain(process.getInputStream(), out, "farm-stdout");
    this.errReader = drain(process.getErrorStream(), err, "farm-stderr");
  }

  static FarmCommand start(List<String> args) throws IOException {
    return start(args, Map.of());
  }

  /** With these environment variables set (e.g. FARM_DATABASE_PASSWORD). */
  static FarmCommand start(List<String> args, Map<String, String> env) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", // starts fast, stays small
        "-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile", ""),
        "-cp", System.getProperty("java.class.path"), "dev.farmapi.cli.Main"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("FARM_SERVER");
    builder.environment().remove("FARM_API_KEY");
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    return new FarmCommand(process);
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

  boolean isAlive() {
    return process.isAlive();
  }

  /** The exit status once the process has ended, with all its output read. */
  int exitStatus() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("farm did not end; stderr:\n" + err());
    }
    outReader.join(10_000);
    errReader.join(10_000);
    return process.exitValue();
  }

  /** Waits up to {@code timeout} for the end; false if it still runs. */
  boolean waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** SIGKILL: no shutdown hooks, nothing flushed. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    exitStatus();
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
      kill9();
    }
  }

  @Override
  public String toString() {
    return "--- stdout\n" + out() + "--- stderr\n" + err();
  }
}
