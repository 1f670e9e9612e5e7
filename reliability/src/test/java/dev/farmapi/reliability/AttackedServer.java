package dev.farmapi.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code farm serve} in a child JVM started as the {@code farm} launcher starts it: with the JVM
 * options of {@code farm-cli/src/main/launcher/server.jvmopts} (then {@code FARM_JAVA_OPTS}), the
 * launcher's {@code MALLOC_ARENA_MAX} and the CLI's own logging, so that what is measured (its
 * memory above all) is what users run. Its resident memory is sampled from {@code /proc} while
 * it runs.
 */
final class AttackedServer implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final URI uri;
  private final Thread sampler;
  private final AtomicLong peakRssKib = new AtomicLong();
  private volatile boolean sampling = true;

  private AttackedServer(Process process, Path log, URI uri) {
    this.process = process;
    this.log = log;
    this.uri = uri;
    this.sampler = new Thread(this::sample, "rss-sampler");
    this.sampler.setDaemon(true);
    this.sampler.start();
  }

  /** The repository's root (the reliability module's parent folder). */
  static Path root() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("farm")) ? here : here.getParent();
  }

  static AttackedServer start(Path data, Path log, List<String> options)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path launcher = root().resolve("farm-cli/src/main/launcher");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + launcher.resolve("server.jvmopts")));
    String extra = System.getenv("FARM_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.addAll(List.of(
        "-Dlogback.configurationFile="
            + root().resolve("farm-cli/src/main/resources/logback.xml"),
        "-cp", System.getProperty("java.class.path"), "dev.farmapi.cli.Main", "serve",
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--data", data.toString()));
    command.addAll(options);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2"); // as the launcher sets it
    Process process = builder.start();
    process.getOutputStream().close();
    CompletableFuture<String> listening = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          if (line.startsWith("Farm server listening on ")) {
            listening.complete(line);
          }
        }
      } catch (IOException e) {
        listening.completeExceptionally(e);
      }
      listening.completeExceptionally(new IOException("farm serve ended"));
    }, "farm-serve-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      listening.get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IOException("farm serve did not start: " + Files.readString(log), e);
    }
    return new AttackedServer(process, log, URI.create("http://127.0.0.1:" + port + "/"));
  }

  URI uri() {
    return uri;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** Resident memory now, in KiB. */
  long rssKib() throws IOException {
    return statusField("VmRSS:");
  }

  /** The kernel's high-water mark of resident memory, in KiB: the true peak. */
  long peakRssKib() throws IOException {
    return Math.max(peakRssKib.get(), statusField("VmHWM:"));
  }

  private long statusField(String name) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()),
        "status"))) {
      if (line.startsWith(name)) {
        return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
      }
    }
    throw new IOException(name + " not in /proc/" + process.pid() + "/status");
  }

  private void sample() {
    while (sampling && process.isAlive()) {
      try {
        peakRssKib.accumulateAndGet(rssKib(), Math::max);
        Thread.sleep(200);
      } catch (IOException e) {
        return; // the process is gone
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** What the server logged, for the operator's view of the attack. */
  String logText() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    sampling = false;
    process.destroy(); // SIGTERM: a graceful stop, as an operator's
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
