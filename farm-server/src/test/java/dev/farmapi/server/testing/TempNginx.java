package dev.farmapi.server.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's nginx as the cluster's load balancer: round-robin over the nodes, no stickiness, so
 * that consecutive requests of one client (the chunks of one upload) land on different nodes.
 * Request bodies are streamed to the node, not buffered, as a chunk should be. The configuration
 * is {@link #config}, the same block docs/DEPLOY.md and deploy/local-cluster use.
 */
public final class TempNginx implements AutoCloseable {
  private final Path dir;
  private final int port;
  private Process process;

  private TempNginx(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  public static boolean available() {
    return Files.isExecutable(Path.of("/usr/sbin/nginx"));
  }

  public static TempNginx start(List<URI> nodes) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("farm-nginx-");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Files.writeString(dir.resolve("nginx.conf"), config(dir, port, nodes));
    TempNginx nginx = new TempNginx(dir, port);
    nginx.process = new ProcessBuilder("/usr/sbin/nginx", "-p", dir.toString(), "-c",
        dir.resolve("nginx.conf").toString(), "-g", "daemon off;")
        .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return nginx;
      } catch (IOException e) {
        if (!nginx.process.isAlive() || System.nanoTime() > deadline) {
          nginx.process.destroyForcibly();
          throw new IOException("nginx did not start: " + Files.readString(dir.resolve(
              "stdout.log")) + Files.readString(dir.resolve("error.log")), e);
        }
        Thread.sleep(50);
      }
    }
  }

  /** An nginx configuration balancing {@code nodes} round-robin on 127.0.0.1:{@code port}. */
  static String config(Path dir, int port, List<URI> nodes) {
    String servers = nodes.stream()
        .map(n -> "    server " + n.getHost() + ":" + n.getPort() + " max_fails=0;")
        .collect(Collectors.joining("\n"));
    return String.join("\n",
        (isRoot() ? "user root;" : ""),
        "worker_processes 1;",
        "pid " + dir.resolve("nginx.pid") + ";",
        "error_log " + dir.resolve("error.log") + " warn;",
        "events { worker_connections 1024; }",
        "http {",
        "  log_format upstream '$request_method $request_uri $status $upstream_addr';",
        "  access_log " + dir.resolve("access.log") + " upstream;",
        "  client_body_temp_path " + dir.resolve("body") + ";",
        "  proxy_temp_path " + dir.resolve("proxy") + ";",
        "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
        "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
        "  scgi_temp_path " + dir.resolve("scgi") + ";",
        "  upstream farm {",
        servers,
        "  }",
        "  server {",
        "    listen 127.0.0.1:" + port + ";",
        "    client_max_body_size 0;",
        "    location / {",
        "      proxy_pass http://farm;",
        "      proxy_http_version 1.1;",
        "      proxy_set_header Connection \"\";",
        "      proxy_set_header Host $http_host;",
        "      proxy_request_buffering off;",
        "      proxy_buffering off;",
        "      proxy_read_timeout 120s;",
        "      proxy_send_timeout 120s;",
        "      proxy_next_upstream error timeout;",
        "    }",
        "  }",
        "}",
        "");
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  /** Which node served each request so far: lines of "METHOD URI STATUS UPSTREAM". */
  public List<String> accessLog() throws IOException {
    Path log = dir.resolve("access.log");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
