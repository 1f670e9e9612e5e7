package dev.farmapi.server.testing;

import dev.farmapi.server.ApiKeys;
import dev.farmapi.server.store.PostgresDatabase;
import dev.farmapi.server.store.PostgresMetadataStore;
import dev.farmapi.server.store.S3Location;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  private TempPostgres pg;
  private TempS3Proxy s3;
  private PostgresDatabase database;
  private final List<ClusterNode> nodes = new ArrayList<>();
  private TempNginx balancer;
  private String adminKey;
  private Path logs;

  private TestCluster(int size) {
    this.size = size;
  }

  public static TestCluster of(int nodes) {
    return new TestCluster(nodes);
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
          logs.resolve("node-" + (i + 1) + ".log")));
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
    try (PostgresMetadataStore meta = PostgresMetadataStore.open(database, 1)) {
      return FarmTestClient.of(uri(), ApiKeys.create(meta, "cluster-farm-"
          + farms.incrementAndGet()));
    }
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
