package dev.farmapi.cli;

import static org.awaitility.Awaitility.await;

import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@code farm serve} in a child JVM on this test's classpath, bound to 127.0.0.1 on a
 * port of its choosing (read from its stdout), with fault injection on: a server that can be
 * killed like one. Closing it kills it if it still runs.
 */
final class ServeProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("^Farm server listening on (https?://127\\.0\\.0\\.1:\\d+/) \\(data in .*\\)$");
  /** Exit status of a process killed by SIGKILL (128 + 9), as Process reports it. */
  static final int SIGKILL_EXIT = 137;
  /** Exit status of a JVM that exits because of SIGTERM (128 + 15). */
  static final int SIGTERM_EXIT = 143;

  private final Process process;
  private final Path data;
  private final Path log;
  private final List<String> stdout;
  private final URI uri;

  private ServeProcess(Process process, Path data, Path log, List<String> stdout, URI uri) {
    this.process = process;
    this.data = data;
    this.log = log;
    this.stdout = stdout;
    this.uri = uri;
  }

  /** Starts {@code farm serve} on {@code data} and waits until it answers /healthz. */
  static ServeProcess start(Path data, Path log) throws IOException {
    return start(data, log, Map.of(), List.of());
  }

  /** As {@link #start(Path, Path)}, with {@code env} added to the environment (FARM_LOG_LEVEL). */
  static ServeProcess start(Path data, Path log, Map<String, String> env) throws IOException {
    return start(data, log, env, List.of());
  }

  /**
   * Starts {@code farm serve} with {@code more} options too; over HTTPS ({@code --tls-cert}),
   * its "listening" line is the sign it is ready (the plain /healthz probe cannot speak TLS).
   */
  static ServeProcess start(Path data, Path log, List<String> more) throws IOException {
    return start(data, log, Map.of(), more);
  }

  private static ServeProcess start(Path data, Path log, Map<String, String> env,
      List<String> more) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java,
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", // starts fast, stays small
        "-cp", System.getProperty("java.class.path"),
        "dev.farmapi.cli.Main", "serve",
        "--port", "0", "--bind", "127.0.0.1", "--data", data.toString(), "--fault-injection"));
    command.addAll(more);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    List<String> stdout = new CopyOnWriteArrayList<>();
    CompletableFuture<URI> listening = new CompletableFuture<>();
    Thread reader = new Thread(() -> readStdout(process, stdout, listening), "farm-serve-stdout");
    reader.setDaemon(true);
    reader.start();
    URI uri;
    try {
      uri = listening.get(60, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("farm serve did not start; stdout " + stdout
          + "; stderr:\n" + Files.readString(log), e);
    }
    ServeProcess serve = new ServeProcess(process, data, log, stdout, uri);
    if (uri.getScheme().equals("https")) {
      return serve;
    }
    await("GET /healthz").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> RawHttp.request(uri, "GET", "/healthz").send().status() == 200);
    return serve;
  }

  private static void readStdout(Process process, List<String> lines,
      CompletableFuture<URI> listening) {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        lines.add(line);
        Matcher m = LISTENING.matcher(line);
        if (m.matches()) {
          listening.complete(URI.create(m.group(1)));
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

  /** A client of this server with the data folder's admin key. */
  FarmTestClient client() {
    return FarmTestClient.of(uri, adminKey());
  }

  String adminKey() {
    try {
      return Files.readString(data.resolve("admin.key")).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> stdout() {
    return List.copyOf(stdout);
  }

  String stderr() throws IOException {
    return Files.readString(log);
  }

  long pid() {
    return process.pid();
  }

  /** kill -9: SIGKILL, no shutdown hooks. Returns the exit status once the process is gone. */
  int kill9() throws InterruptedException {
    process.destroyForcibly();
    return waitFor();
  }

  /** SIGTERM: the JVM runs its shutdown hooks (farm serve's graceful stop). Returns the status. */
  int terminate() throws InterruptedException {
    process.destroy();
    return waitFor();
  }

  private int waitFor() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("farm serve (pid " + process.pid() + ") did not exit");
    }
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Bytes the server has read from upload request bodies since it started (/metrics). */
  long receivedBytes() throws IOException {
    return receivedBytes(uri);
  }

  /** Bytes the server at {@code uri} has read from upload request bodies (/metrics). */
  static long receivedBytes(URI uri) throws IOException {
    String text = RawHttp.request(uri, "GET", "/metrics").send().text();
    Matcher m = Pattern.compile("(?m)^farm_upload_received_bytes_total (\\S+)$").matcher(text);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(60, TimeUnit.SECONDS);
    }
  }
}
