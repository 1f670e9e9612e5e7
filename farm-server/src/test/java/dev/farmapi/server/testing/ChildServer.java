package dev.farmapi.server.testing;

import dev.farmapi.server.FarmServer;
import dev.farmapi.server.ServerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A Farm server in a child JVM, so that a test can kill it with SIGKILL (kill -9) mid-request
 * and look at what a crash leaves. {@link #main} is the child's side.
 */
public final class ChildServer implements AutoCloseable {
  private final Process process;
  private final URI uri;

  private ChildServer(Process process, URI uri) {
    this.process = process;
    this.uri = uri;
  }

  /** Starts a child JVM serving {@code dataDir} on a free port; returns once it listens. */
  public static ChildServer start(Path dataDir) throws IOException {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
        ChildServer.class.getName(), dataDir.toString())
        .redirectErrorStream(true)
        .start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("LISTENING ")) {
        Thread drain = new Thread(() -> {
          try {
            out.transferTo(java.io.Writer.nullWriter());
          } catch (IOException e) {
            // the child died: nothing more to read
          }
        }, "child-server-output");
        drain.setDaemon(true);
        drain.start();
        return new ChildServer(process, URI.create(line.substring("LISTENING ".length())));
      }
    }
    process.destroyForcibly();
    throw new IOException("the child server exited before listening");
  }

  public URI uri() {
    return uri;
  }

  /** SIGKILL: no shutdown hook, no close, no flush; what is on disk is what a crash leaves. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }

  public static void main(String[] args) throws Exception {
    FarmServer server = FarmServer.start(ServerConfig.builder(Path.of(args[0]))
        .port(0).bodyTimeout(Duration.ofSeconds(30)).build());
    System.out.println("LISTENING " + server.uri());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
