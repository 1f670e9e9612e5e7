package dev.farmapi.server;

import dev.farmapi.server.http.AddressLimit;
import dev.farmapi.server.http.Admission;
import dev.farmapi.server.http.CrossOrigin;
import dev.farmapi.server.http.FarmHandler;
import dev.farmapi.server.http.FaultInjectionHandler;
import dev.farmapi.server.http.JsonErrorHandler;
import dev.farmapi.server.http.OverloadLog;
import dev.farmapi.server.http.ResumeIncomplete;
import dev.farmapi.server.http.ServerMetrics;
import dev.farmapi.server.http.Serving;
import dev.farmapi.server.store.BlobStore;
import dev.farmapi.server.store.MetadataStore;
import dev.farmapi.server.store.S3BlobStore;
import dev.farmapi.server.upload.UploadPolicy;
import dev.farmapi.server.upload.ResumableSessions;
import dev.farmapi.server.upload.Uploads;
import dev.farmapi.server.web.WebPage;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Farm server: the Farm API and the media upload protocol over HTTP, on the embedded
 * store (SQLite and a blob folder) in {@link ServerConfig#dataDir()}, or on the shared stores of
 * a cluster (PostgreSQL, an S3-compatible store; see {@link FarmStores}).
 *
 * <pre>{@code
 * try (FarmServer server = FarmServer.start(ServerConfig.builder(Path.of("farm-data")).port(0).build())) {
 *   System.out.println("serving on " + server.uri());
 * }
 * }</pre>
 *
 * <p>Start-up reconciles the store with what a crash may have left (bytes past a session's
 * acknowledged offset, orphaned blobs, expired sessions) before the first request is served.
 */
public final class FarmServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FarmServer.class);

  /** How often the log may say that the server refuses requests or cuts clients. */
  private static final Duration OVERLOAD_LOG_INTERVAL = Duration.ofSeconds(10);

  private final Server jetty;
  private final FarmStores stores;
  private final ScheduledExecutorService reaper;
  private final ExecutorService workers;
  private final ExecutorService ops;
  private final URI uri;

  private FarmServer(Server jetty, FarmStores stores, ScheduledExecutorService reaper,
      ExecutorService workers, ExecutorService ops, URI uri) {
    this.jetty = jetty;
    this.stores = stores;
    this.reaper = reaper;
    this.workers = workers;
    this.ops = ops;
    this.uri = uri;
  }

  /** Opens the data folder, reconciles it, and starts serving. */
  public static FarmServer start(ServerConfig config) throws IOException {
    return start(config, UnaryOperator.identity(), UnaryOperator.identity());
  }

  /**
   * For tests only: starts as {@link #start(ServerConfig)} does, but serves through the stores
   * {@code blobs} and {@code meta} wrap around the real ones (a test's {@code FaultyBlobStore}
   * and {@code FaultyMetadataStore}: a disk that fills up, an fsync that fails). The real stores
   * are still opened, reconciled through the wrappers, and closed by {@link #close()}; the
   * wrappers must delegate everything they do not fail.
   */
  public static FarmServer start(ServerConfig config, UnaryOperator<BlobStore> blobs,
      UnaryOperator<MetadataStore> meta) throws IOException {
    // The files and the address first: a server that cannot listen creates nothing.
    KeyStore tls = config.tls() ? TlsFiles.keyStore(config.tlsCertificate(), config.tlsKey()) : null;
    Server jetty = jetty(config, tls);
    ServerConnector connector = (ServerConnector) jetty.getConnectors()[0];
    listen(connector, config);
    FarmStores stores;
    try {
      stores = FarmStores.open(config);
    } catch (IOException | RuntimeException e) {
      connector.close();
      throw e;
    }
    ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "farm-session-reaper");
      t.setDaemon(true);
      return t;
    });
    ExecutorService workers = threads("farm-work", config.workers());
    ExecutorService ops = threads("farm-ops", 1);
    try {
      UploadPolicy policy =
          new UploadPolicy(maxUploadSize(config), config.accept(), config.sessionTtl());
      MetadataStore metaStore = meta.apply(stores.meta());
      BlobStore blobStore = blobs.apply(stores.blobs());
      Clock clock = Clock.systemUTC();
      Uploads uploads = new Uploads(metaStore, blobStore, policy, clock, stores.locks());
      ResumableSessions sessions =
          new ResumableSessions(metaStore, blobStore, uploads, stores.locks());
      sessions.reconcile();
      ServerMetrics metrics = new ServerMetrics(metaStore);
      OverloadLog overload = new OverloadLog(OVERLOAD_LOG_INTERVAL);
      Serving serving = new Serving(config.publicUrl(), config.bodyTimeout(),
          config.minBodyRate(), workers);
      Handler handler = new FarmHandler(metaStore, blobStore, uploads, sessions, clock, serving,
          metrics, overload);
      if (config.faultInjection()) {
        handler = new FaultInjectionHandler(handler, serving);
      }
      // The web page first (it takes only its own paths), then the API; a 308 of either stays
      // a "Resume Incomplete" that browsers do not follow. The admission answers /healthz at
      // once and refuses what is past its limits at once; what it lets in runs on the workers.
      handler = new Admission(new ResumeIncomplete(new Handler.Sequence(new WebPage(), handler)),
          workers, ops, config.maxConcurrentRequests(), config.maxRequestsPerFarm(), metrics,
          overload);
      gauges(metrics, (ThreadPoolExecutor) workers);
      if (config.maxConnectionsPerAddress() > 0) {
        connector.addEventListener(
            new AddressLimit(config.maxConnectionsPerAddress(), metrics, overload));
      }
      // CORS outside the limit, so that a busy server's 503 still reaches the script of another
      // origin as a 503 (retried) rather than an opaque network error.
      jetty.setHandler(new GracefulHandler(CrossOrigin.wrap(config.corsOrigins(), handler)));
      jetty.start();
      int port = connector.getLocalPort();
      long every = Math.max(1, Math.min(60, config.sessionTtl().toSeconds() / 10));
      reaper.scheduleWithFixedDelay(() -> reclaim(sessions), every, every, TimeUnit.SECONDS);
      long logEvery = OVERLOAD_LOG_INTERVAL.toMillis();
      reaper.scheduleWithFixedDelay(overload::flush, logEvery, logEvery, TimeUnit.MILLISECONDS);
      URI uri = URI.create((config.tls() ? "https" : "http") + "://" + hostForUri(config.bind())
          + ":" + port + "/");
      log.info("Farm server listening on {} with {}", uri, describe(config));
      return new FarmServer(jetty, stores, reaper, workers, ops, uri);
    } catch (Exception e) {
      reaper.shutdownNow();
      workers.shutdownNow();
      ops.shutdownNow();
      connector.close();
      stores.close();
      throw e instanceof IOException io ? io : new IOException("cannot start the server: " + e, e);
    }
  }

  /**
   * Binds the port now, so that a busy port or an address this machine does not have is a
   * {@link BindException} that says which, before anything is created.
   */
  private static void listen(ServerConnector connector, ServerConfig config) throws IOException {
    String where = hostForUri(config.bind()) + ":" + config.port();
    try {
      connector.open();
    } catch (IOException | IllegalArgumentException | SecurityException e) {
      // Jetty wraps the JDK's BindException ("Address already in use", "Cannot assign
      // requested address"); an unknown host name is an UnresolvedAddressException.
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      String message = String.valueOf(root.getMessage());
      String why = message.contains("in use") ? "the port is in use"
          : message.contains("assign requested address") ? "this machine has no address "
              + config.bind()
          : root instanceof java.nio.channels.UnresolvedAddressException
              ? "'" + config.bind() + "' is not an address of this machine"
          : message;
      throw (BindException) new BindException("cannot listen on " + where + ": " + why)
          .initCause(e);
    }
  }

  private static Server jetty(ServerConfig config, KeyStore tls) {
    // Jetty's own threads only select, parse and run what never blocks (the admission, the
    // gathering of request bodies); everything that blocks runs on the workers.
    QueuedThreadPool threads = new QueuedThreadPool(48, 4);
    threads.setName("farm-http");
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(config.maxHeaderSize());
    http.setSendServerVersion(false);
    // Jetty reads a connection 8 KiB at a time by default: for a media body that is a read(),
    // a chunk and a wake-up per 8 KiB. 64 KiB (one body window) cuts that 8x; it is held per
    // connection only while a read is in progress.
    http.setInputBufferSize(64 * 1024);
    ServerConnector connector;
    if (tls == null) {
      connector = new ServerConnector(server, new HttpConnectionFactory(http));
    } else {
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStore(tls);
      ssl.setKeyStorePassword(TlsFiles.PASSWORD);
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      // Clients check the name against the certificate; one reaching us by an address the
      // certificate does not name (an IP, a tunnel) is their call, not a 400 of ours.
      secure.setSniHostCheck(false);
      http.addCustomizer(secure);
      connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
          new HttpConnectionFactory(http));
    }
    connector.setHost(config.bind());
    connector.setPort(config.port());
    connector.setIdleTimeout(config.idleTimeout().toMillis());
    connector.setReuseAddress(true);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(config.maxConnections(), connector));
    server.setErrorHandler(new JsonErrorHandler());
    server.setStopTimeout(config.shutdownGrace().toMillis());
    server.setStopAtShutdown(false); // our owner (farm serve) decides when to stop
    return server;
  }

  /**
   * A pool of {@code n} threads at most, made as work comes and let go when idle, with a queue
   * in front: the admission limit bounds what can wait in it.
   */
  private static ExecutorService threads(String name, int n) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, name + "-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private static void gauges(ServerMetrics metrics, ThreadPoolExecutor workers) {
    metrics.gauge("farm.workers.busy", "Worker threads running a request's step",
        workers::getActiveCount);
    metrics.gauge("farm.workers.queued", "Request steps waiting for a worker",
        () -> workers.getQueue().size());
  }

  private static void reclaim(ResumableSessions sessions) {
    try {
      int n = sessions.reclaimExpired();
      if (n > 0) {
        log.info("reclaimed {} expired upload sessions", n);
      }
    } catch (RuntimeException e) {
      log.warn("reclaiming expired sessions failed; will retry", e);
    }
  }

  /**
   * The configured maximum, capped on S3 at what one multipart upload can hold (10,000 parts of
   * the part size): past it, S3 would refuse part 10,001 in the middle of an upload.
   */
  static long maxUploadSize(ServerConfig config) {
    if (config.blobStore() == null) {
      return config.maxUploadSize();
    }
    long cap = S3BlobStore.MAX_PARTS * S3BlobStore.DEFAULT_PART_SIZE;
    if (config.maxUploadSize() > cap) {
      log.info("uploads are limited to {} bytes on S3 (10,000 parts of {} bytes)", cap,
          S3BlobStore.DEFAULT_PART_SIZE);
    }
    return Math.min(config.maxUploadSize(), cap);
  }

  /** Where the data lives, for the log (never a password). */
  static String describe(ServerConfig config) {
    String meta = config.database() != null ? "metadata in " + config.database()
        : "metadata in " + config.dataDir().resolve("farm.db");
    String blobs = config.blobStore() != null ? "blobs in " + config.blobStore()
        : "blobs in " + config.dataDir().resolve("blobs");
    return meta + ", " + blobs;
  }

  private static String hostForUri(String bind) {
    if (bind.equals("0.0.0.0") || bind.equals("::")) {
      return "127.0.0.1";
    }
    return bind.contains(":") ? "[" + bind + "]" : bind;
  }

  /** The root URL of the server, ending in '/'. */
  public URI uri() {
    return uri;
  }

  public int port() {
    return uri.getPort();
  }

  /** The data folder's admin key, when this start created it: to be shown once. */
  public Optional<String> newAdminKey() {
    return stores.newAdminKey();
  }

  /** Stops accepting, lets requests in flight finish (up to the grace period), closes the store. */
  @Override
  public void close() throws IOException {
    try {
      jetty.stop();
    } catch (Exception e) {
      log.warn("stopping HTTP failed", e);
    } finally {
      reaper.shutdownNow();
      workers.shutdownNow(); // after Jetty: requests in flight needed them to finish
      ops.shutdownNow();
      stores.close();
    }
  }
}
