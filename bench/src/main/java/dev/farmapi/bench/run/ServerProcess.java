package dev.farmapi.bench.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code farm serve} as a child process on a free port, with its data folder where the
 * benchmark needs it (disk or tmpfs). Its CPU and peak RSS come from {@code /proc/PID}: the
 * CPU is read before and after a measured stretch, the peak (VmHWM) is since the start, so a
 * benchmark that reports the server's peak starts a fresh server.
 */
public final class ServerProcess implements Endpoint, AutoCloseable {
  private final Process process;
  private final URI root;
  private final String key;
  private final Path data;
  private final boolean owner; // false for a view through a proxy: closing it stops nothing

  private ServerProcess(Process process, URI root, String key, Path data, boolean owner) {
    this.process = process;
    this.root = root;
    this.key = key;
    this.data = data;
    this.owner = owner;
  }

  /** The same server, reached at {@code otherRoot} (a proxy in front of it). */
  public ServerProcess via(URI otherRoot) {
    return new ServerProcess(process, otherRoot, key, data, false);
  }

  /** Starts {@code prefix serve --data DATA --port 0} and waits for its "listening" line. */
  public static ServerProcess start(List<String> prefix, Path data) throws IOException {
    Files.createDirectories(data);
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of("serve", "--data", data.toString(), "--port", "0"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<URI> listening = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          int at = line.indexOf("listening on ");
          if (at >= 0) {
            String rest = line.substring(at + "listening on ".length());
            return URI.create(rest.substring(0, rest.indexOf(' ')));
          }
        }
        return null;
      } catch (IOException e) {
        return null;
      }
    });
    URI root;
    try {
      root = listening.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      root = null;
    }
    if (root == null) {
      p.destroyForcibly();
      throw new IOException("farm serve did not start: " + cmd);
    }
    drain(out);
    String key = Files.readString(data.resolve("admin.key")).strip();
    return new ServerProcess(p, root, key, data, true);
  }

  // Keeps reading the server's output so that it never blocks on a full pipe.
  private static void drain(BufferedReader out) {
    Thread t = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // discarded: request logs
        }
      } catch (IOException ignored) {
        // the server stopped
      }
    }, "server-output");
    t.setDaemon(true);
    t.start();
  }

  public URI root() {
    return root;
  }

  public String key() {
    return key;
  }

  public Path data() {
    return data;
  }

  public long pid() {
    return process.pid();
  }

  /** User+system CPU seconds the server has used so far. */
  public double cpuSeconds() throws IOException {
    return ProcFs.cpuSeconds(pid());
  }

  /** Peak resident set since the start, in MiB (VmHWM). */
  public double peakRssMiB() throws IOException {
    return ProcFs.peakRssMiB(pid());
  }

  /** SIGTERM (a graceful stop), then kill if it takes longer than 20 s. */
  @Override
  public void close() throws InterruptedException {
    if (!owner) {
      return;
    }
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
