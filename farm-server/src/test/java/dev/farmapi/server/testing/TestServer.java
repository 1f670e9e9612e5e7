package dev.farmapi.server.testing;

import dev.farmapi.server.ApiKeys;
import dev.farmapi.server.FarmServer;
import dev.farmapi.server.ServerConfig;
import dev.farmapi.server.store.SqliteMetadataStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A real Farm server in this JVM, on a free port of 127.0.0.1, with its data in a temporary
 * folder, fault injection on and a short body timeout. Close it to stop it (its data stays, so a
 * test can restart on the same folder with {@link #restart()}).
 */
public final class TestServer implements AutoCloseable {
  private static final AtomicInteger farms = new AtomicInteger();

  private final ServerConfig config;
  private final String adminKey;
  private FarmServer server;

  private TestServer(ServerConfig config) throws IOException {
    this.config = config;
    this.server = FarmServer.start(config);
    this.adminKey = server.newAdminKey().orElseGet(this::readAdminKey);
  }

  public static TestServer start(Path dataDir) throws IOException {
    return start(dataDir, b -> b);
  }

  /** A server whose default test configuration {@code customize} may change. */
  public static TestServer start(Path dataDir, UnaryOperator<ServerConfig.Builder> customize)
      throws IOException {
    ServerConfig.Builder builder = ServerConfig.builder(dataDir)
        .port(0)
        .faultInjection(true)
        .bodyTimeout(Duration.ofSeconds(2))
        .shutdownGrace(Duration.ofSeconds(2));
    return new TestServer(customize.apply(builder).build());
  }

  public URI uri() {
    return server.uri();
  }

  public String adminKey() {
    return adminKey;
  }

  public Path dataDir() {
    return config.dataDir();
  }

  /** A client of this server, with the admin key. */
  public FarmTestClient client() {
    return new FarmTestClient(uri(), adminKey);
  }

  /**
   * A client with the key of a new farm of its own, made as {@code farm keys create} makes one:
   * through a second connection to the server's database, while the server runs.
   */
  public FarmTestClient clientOfNewFarm() throws IOException {
    String farm = "farm-" + farms.incrementAndGet();
    try (SqliteMetadataStore store = SqliteMetadataStore.open(dataDir().resolve("farm.db"))) {
      return new FarmTestClient(uri(), ApiKeys.create(store, farm));
    }
  }

  /** The blob files in the data folder, as they are on disk. */
  public List<Path> blobFiles() throws IOException {
    Path blobs = dataDir().resolve("blobs");
    if (!Files.isDirectory(blobs)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(blobs)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** The bytes of every blob file in the data folder together: what a request wrote to disk. */
  public long blobBytes() throws IOException {
    long sum = 0;
    for (Path file : blobFiles()) {
      sum += Files.size(file);
    }
    return sum;
  }

  /** Stops and starts the server on the same data folder and port-less config (a new port). */
  public void restart() throws IOException {
    restart(dir -> { });
  }

  /** Stops the server, runs {@code whileStopped} on its data folder, and starts it again. */
  public void restart(WhileStopped whileStopped) throws IOException {
    server.close();
    whileStopped.run(dataDir());
    server = FarmServer.start(config);
  }

  /** What a test does to the data folder while the server is down (a crash's leftovers). */
  public interface WhileStopped {
    void run(Path dataDir) throws IOException;
  }

  private String readAdminKey() {
    try {
      return Files.readString(config.dataDir().resolve("admin.key")).trim();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
