package dev.farmapi.server.testing;

import dev.farmapi.server.ApiKeys;
import dev.farmapi.server.store.PostgresDatabase;
import dev.farmapi.server.store.PostgresMetadataStore;
import dev.farmapi.server.store.S3Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Farm cluster for tests, all real and all on 127.0.0.1: a temporary PostgreSQL, S3Proxy,
 * {@code n} nodes in child JVMs on those shared stores, and nginx balancing them round-robin.
 * Register it per test class:
 * {@code @RegisterExtension static final TestCluster cluster = TestCluster.of(3);}
 */
public final class TestCluster implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  private static final AtomicInteger farms = new AtomicInteger();

  private final int size;
  private final Duration bodyTimeout;
  private TempPostgres pg;
  private TempS3Proxy s3;
  private PostgresDatabase database;
  private final List<ClusterNode> nodes = new ArrayList<>();
  private TempNginx balancer;
  private String adminKey;
  private Path logs;

  private TestCluster(int size, Duration bodyTimeout) {
    this.size = size;
    this.bodyTimeout = bodyTimeout;
  }

  /** A cluster whose nodes fail a request body silent for 10 s (a loaded machine is slow). */
  public static TestCluster of(int nodes) {
    return of(nodes, Duration.ofSeconds(10));
  }

  public static TestCluster of(int nodes, Duration bodyTimeout) {
    return new TestCluster(nodes, bodyTimeout);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  public void start() throws Exception {
    try {
      startParts();
    } catch (Exception e) {
      close(); // whatever did start stops with the failure
      throw e;
    }
  }

  private void startParts() throws Exception {
    logs = Files.createTempDirectory("farm-cluster-logs-");
    pg = TempPostgres.start();
    s3 = TempS3Proxy.start();
    database = pg.newDatabase();
    S3Location blobs = s3.newLocation();
    try (PostgresMetadataStore meta = PostgresMetadataStore.open(database, 1)) {
      adminKey = ApiKeys.create(meta, ApiKeys.DEFAULT_FARM); // before the nodes: they make none
    }
    Map<String, String> env = Map.of(
        "FARM_DATABASE_PASSWORD", TempPostgres.PASSWORD,
        "AWS_ACCESS_KEY_ID", TempS3Proxy.IDENTITY,
        "AWS_SECRET_ACCESS_KEY", TempS3Proxy.CREDENTIAL);
    String dbUrl = "postgresql://127.0.0.1:" + pg.port() + "/" + database.database() + "?user="
        + TempPostgres.USER;
    for (int i = 0; i < size; i++) {
      nodes.add(new ClusterNode(freePort(), dbUrl, s3.url(blobs), env,
          logs.resolve("node-" + (i + 1) + ".log"), bodyTimeout));
    }
    for (ClusterNode node : nodes) {
      node.start();
    }
    balancer = TempNginx.start(nodes.stream().map(ClusterNode::uri).toList());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The balancer's URL: what clients use. */
  public URI uri() {
    return balancer.uri();
  }

  public List<ClusterNode> nodes() {
    return nodes;
  }

  public ClusterNode node(int i) {
    return nodes.get(i);
  }

  public String adminKey() {
    return adminKey;
  }

  public TempPostgres postgres() {
    return pg;
  }

  public TempS3Proxy s3() {
    return s3;
  }

  public TempNginx balancer() {
    return balancer;
  }

  /** A client of the balancer with the key of a new farm, made in the shared database. */
  public FarmTestClient clientOfNewFarm() throws IOException {
    return FarmTestClient.of(uri(), newKey("cluster-farm-" + farms.incrementAndGet(),
        ApiKeys.Options.DEFAULT, Instant.now()).secret());
  }

  /** A key of {@code farm} made at {@code now}, as {@code farm keys create --database} makes one. */
  public ApiKeys.NewKey newKey(String farm, ApiKeys.Options options, Instant now)
      throws IOException {
    try (PostgresMetadataStore meta = PostgresMetadataStore.open(database, 1)) {
      return ApiKeys.create(meta, farm, options, now);
    }
  }

  /** Revokes a key in the shared database, as {@code farm keys revoke --force} does. */
  public void revokeKey(String id) throws IOException {
    try (PostgresMetadataStore meta = PostgresMetadataStore.open(database, 1)) {
      ApiKeys.revoke(meta, id, true, Instant.now());
    }
  }

  /**
   * Every file that holds media bytes of the cluster: the objects in S3Proxy's folder (sealed
   * blobs, staged tail segments, multipart parts) and the chunks the nodes are spooling.
   */
  public List<Path> storedFiles() throws IOException {
    List<Path> found = new ArrayList<>(filesUnder(s3.dataDir()));
    for (ClusterNode node : nodes) {
      found.addAll(filesUnder(node.tempDir()));
    }
    return found;
  }

  /** The bytes of {@link #storedFiles()} together. */
  public long storedBytes() throws IOException {
    while (true) {
      try {
        long sum = 0;
        for (Path file : storedFiles()) {
          sum += Files.size(file);
        }
        return sum;
      } catch (NoSuchFileException e) {
        // a spool finished between the listing and its size: count again
      }
    }
  }

  private static List<Path> filesUnder(Path root) throws IOException {
    while (true) {
      try (var files = Files.walk(root)) {
        return files.filter(Files::isRegularFile).sorted().toList();
      } catch (UncheckedIOException e) {
        // a file deleted while the walk passed it (a node's spool): walk again
      }
    }
  }

  /** The distinct nodes nginx sent the chunk PUTs of {@code session} (its URL) to. */
  public Set<String> nodesThatServed(String session) throws IOException {
    String id = session.substring(session.indexOf("upload_id=") + "upload_id=".length());
    Set<String> upstreams = new HashSet<>();
    for (String line : balancer.accessLog()) {
      String[] f = line.split(" ");
      if (f[0].equals("PUT") && f[1].contains(id)) {
        upstreams.add(f[3]);
      }
    }
    return upstreams;
  }

  /** The nodes' output, for a failure message. */
  public String nodeLogs() throws IOException {
    StringBuilder b = new StringBuilder();
    try (var files = Files.list(logs)) {
      for (Path f : files.sorted().toList()) {
        b.append("--- ").append(f.getFileName()).append('\n').append(Files.readString(f));
      }
    }
    return b.toString();
  }

  private void deleteLogs() throws IOException {
    if (logs != null && Files.exists(logs)) {
      try (var files = Files.walk(logs)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  @Override
  public void close() throws Exception {
    Exception failure = null;
    // Each part is forgotten once stopped, so a second close (afterAll after a failed start)
    // has nothing left to do.
    TempNginx stopBalancer = balancer;
    TempS3Proxy stopS3 = s3;
    TempPostgres stopPg = pg;
    List<ClusterNode> stopNodes = List.copyOf(nodes);
    balancer = null;
    s3 = null;
    pg = null;
    nodes.clear();
    for (AutoCloseable c : List.<AutoCloseable>of(
        () -> { if (stopBalancer != null) stopBalancer.close(); },
        () -> { for (ClusterNode n : stopNodes) n.close(); },
        () -> { if (stopS3 != null) stopS3.close(); },
        () -> { if (stopPg != null) stopPg.close(); },
        this::deleteLogs)) {
      try {
        c.close();
      } catch (Exception e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
