package dev.farmapi.server.testing;

import dev.farmapi.server.ApiKeys;
import dev.farmapi.server.FarmServer;
import dev.farmapi.server.ServerConfig;
import dev.farmapi.server.store.BlobStore;
import dev.farmapi.server.store.MetadataStore;
import dev.farmapi.server.store.SqliteMetadataStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Farm server in this JVM, on a free port of 127.0.0.1, with its data in a temporary
 * folder, fault injection on and a short body timeout. Close it to stop it (its data stays, so a
 * test can restart on the same folder with {@link #restart()}).
 *
 * <p>With {@code -Dfarm.test.target=cluster} it is instead a view of the {@link SharedCluster}
 * (3 nodes on PostgreSQL and S3Proxy behind nginx round-robin) with a farm and key of its own;
 * what only a server of this JVM can do (another configuration, store wrappers, its data folder,
 * a restart) skips the test there, with the reason.
 *
 * <p>For one server per test class, register it as an extension; it starts before the class's
 * tests and is stopped, its folder deleted, after them:
 * {@code @RegisterExtension static final TestServer server = TestServer.perClass();}
 */
public final class TestServer
    implements AutoCloseable, BeforeAllCallback, AfterAllCallback, ExecutionCondition {
  private static final AtomicInteger farms = new AtomicInteger();

  private final ServerConfig config;
  private final UnaryOperator<BlobStore> blobs;
  private final UnaryOperator<MetadataStore> meta;
  private String adminKey;
  private String adminFarm = ApiKeys.DEFAULT_FARM;
  private FarmServer server;
  private TestCluster cluster; // instead of server, in cluster mode

  private TestServer(ServerConfig config) {
    this(config, UnaryOperator.identity(), UnaryOperator.identity());
  }

  private TestServer(ServerConfig config, UnaryOperator<BlobStore> blobs,
      UnaryOperator<MetadataStore> meta) {
    this.config = config;
    this.blobs = blobs;
    this.meta = meta;
  }

  /**
   * A server that serves through stores wrapped around its real ones (e.g. a
   * {@link FaultyBlobStore} and a {@link FaultyMetadataStore}), also across {@link #restart()}.
   */
  public static TestServer start(Path dataDir, UnaryOperator<ServerConfig.Builder> customize,
      UnaryOperator<BlobStore> blobs, UnaryOperator<MetadataStore> meta) throws IOException {
    SharedCluster.assumeOneProcess("its stores wrapped in this JVM");
    TestServer server = new TestServer(config(dataDir, customize), blobs, meta);
    server.begin();
    return server;
  }

  public static TestServer start(Path dataDir) throws IOException {
    return start(dataDir, b -> b);
  }

  /** A server whose default test configuration {@code customize} may change. */
  public static TestServer start(Path dataDir, UnaryOperator<ServerConfig.Builder> customize)
      throws IOException {
    TestServer server = new TestServer(config(dataDir, customize));
    server.begin();
    return server;
  }

  /** A server for a whole test class, started by JUnit: see the class comment. */
  public static TestServer perClass() {
    return perClass(b -> b);
  }

  public static TestServer perClass(UnaryOperator<ServerConfig.Builder> customize) {
    // Named now, made when a server starts: a class that is skipped leaves no folder behind.
    Path dataDir = Path.of(System.getProperty("java.io.tmpdir"), "farm-test-" + UUID.randomUUID());
    return new TestServer(config(dataDir, customize));
  }

  private static ServerConfig config(Path dataDir, UnaryOperator<ServerConfig.Builder> customize) {
    return customize.apply(ServerConfig.builder(dataDir)
        .port(0)
        .faultInjection(true)
        .bodyTimeout(Duration.ofSeconds(2))
        .shutdownGrace(Duration.ofSeconds(2))).build();
  }

  private void begin() throws IOException {
    if (SharedCluster.enabled()) {
      String custom = customized(config);
      if (!custom.isEmpty()) {
        SharedCluster.assumeOneProcess("a server of its own with " + custom);
      }
      cluster = SharedCluster.get(config.bodyTimeout());
      adminFarm = newFarmName();
      adminKey = cluster.newKey(adminFarm, ApiKeys.Options.DEFAULT, Instant.now()).secret();
      return;
    }
    Files.createDirectories(config.dataDir());
    server = FarmServer.start(config, blobs, meta);
    adminKey = server.newAdminKey().orElseGet(this::readAdminKey);
  }

  /** The settings in which {@code config} departs from the default test server's ("" if none). */
  private static String customized(ServerConfig config) {
    ServerConfig defaults = config(config.dataDir(), b -> b);
    StringBuilder custom = new StringBuilder();
    for (RecordComponent c : ServerConfig.class.getRecordComponents()) {
      try {
        Object value = c.getAccessor().invoke(config);
        if (!Objects.equals(value, c.getAccessor().invoke(defaults))) {
          custom.append(custom.isEmpty() ? "" : ", ").append(c.getName()).append('=').append(value);
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return custom.toString();
  }

  /** Through the cluster, a class whose server needs a configuration of its own is skipped. */
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String custom = SharedCluster.enabled() ? customized(config) : "";
    if (custom.isEmpty()) {
      return ConditionEvaluationResult.enabled("the default test server");
    }
    return ConditionEvaluationResult.disabled(
        SharedCluster.skipReason("a server of its own with " + custom));
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    begin();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    close(); // a start that failed left no server: the folder still goes
    deleteDataDir();
  }

  private void deleteDataDir() {
    if (Files.exists(config.dataDir())) {
      try (Stream<Path> files = Files.walk(config.dataDir())) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public URI uri() {
    return cluster != null ? cluster.uri() : server.uri();
  }

  /** The shared cluster this is a view of, in cluster mode. */
  public Optional<TestCluster> cluster() {
    return Optional.ofNullable(cluster);
  }

  /**
   * The URL of each process that serves: this one server, or each node of the cluster (for what
   * every process keeps of its own, such as metrics).
   */
  public List<URI> nodeUris() {
    return cluster != null ? cluster.nodes().stream().map(ClusterNode::uri).toList()
        : List.of(uri());
  }

  /** A key with every right: the admin key of the server, or of a new farm in the cluster. */
  public String adminKey() {
    return adminKey;
  }

  /** The farm of {@link #adminKey()}. */
  public String adminFarm() {
    return adminFarm;
  }

  /** The server's data folder (a test in cluster mode is skipped: nodes keep none). */
  public Path dataDir() {
    SharedCluster.assumeOneProcess("the server's data folder");
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
    return new FarmTestClient(uri(), createKey(newFarmName(), ApiKeys.Options.DEFAULT).secret());
  }

  /** A farm name no other test in this JVM uses. */
  public static String newFarmName() {
    return "farm-" + farms.incrementAndGet();
  }

  /**
   * A new key of {@code farm}, made as {@code farm keys create} makes one: through a second
   * connection to the server's database, while the server runs.
   */
  public ApiKeys.NewKey createKey(String farm, ApiKeys.Options options) throws IOException {
    return createKey(farm, options, java.time.Instant.now());
  }

  /** As {@link #createKey(String, ApiKeys.Options)}, made at {@code now} (past or future). */
  public ApiKeys.NewKey createKey(String farm, ApiKeys.Options options, java.time.Instant now)
      throws IOException {
    if (cluster != null) {
      return cluster.newKey(farm, options, now);
    }
    try (SqliteMetadataStore store = SqliteMetadataStore.open(dataDir().resolve("farm.db"))) {
      return ApiKeys.create(store, farm, options, now);
    }
  }

  /** Revokes a key as {@code farm keys revoke --force} does, while the server runs. */
  public void revokeKey(String id) throws IOException {
    if (cluster != null) {
      cluster.revokeKey(id);
      return;
    }
    try (SqliteMetadataStore store = SqliteMetadataStore.open(dataDir().resolve("farm.db"))) {
      ApiKeys.revoke(store, id, true, java.time.Instant.now());
    }
  }

  /**
   * The blob files in the data folder, as they are on disk; in cluster mode, every file that
   * holds media bytes ({@link TestCluster#storedFiles()}).
   */
  public List<Path> blobFiles() throws IOException {
    if (cluster != null) {
      return cluster.storedFiles();
    }
    Path blobs = config.dataDir().resolve("blobs");
    if (!Files.isDirectory(blobs)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(blobs)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** The bytes of every blob file in the data folder together: what a request wrote to disk. */
  public long blobBytes() throws IOException {
    if (cluster != null) {
      return cluster.storedBytes();
    }
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
    SharedCluster.assumeOneProcess("a restart of its server on the same data folder");
    server.close();
    whileStopped.run(dataDir());
    server = FarmServer.start(config, blobs, meta);
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

  /** Stops the server; a view of the shared cluster leaves it running for the next test. */
  @Override
  public void close() throws IOException {
    if (server != null) {
      server.close();
    }
  }
}
