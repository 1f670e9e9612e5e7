package dev.farmapi.server;

import dev.farmapi.server.store.PostgresDatabase;
import dev.farmapi.server.store.S3Location;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link FarmServer} can be told, with defaults a local server can run on as is.
 * Immutable; make one with {@link #builder(Path)}.
 *
 * @param bind the address to listen on (default 127.0.0.1)
 * @param port the port, 0 for any free one (default 8080)
 * @param dataDir where the database and blobs live
 * @param publicUrl the root URL clients use, ending in '/', or null to use each request's Host
 * @param maxUploadSize the largest media accepted, in bytes (default 5 TiB)
 * @param accept accepted media type patterns (default any)
 * @param sessionTtl how long a resumable session lives (default 7 days)
 * @param faultInjection whether the retry-test API is offered (tests only; default off)
 * @param bodyTimeout how long a request body may go silent before the request fails with 408
 * @param idleTimeout how long an idle connection is kept
 * @param maxConcurrentRequests requests in flight at once (from head to answer, including while
 *     their bodies arrive, which costs memory, not a thread); one more gets 503 at once
 * @param maxConnections open connections at once; more wait to be accepted
 * @param maxHeaderSize the largest request header block, in bytes
 * @param shutdownGrace how long a stop waits for requests in flight
 * @param database the shared PostgreSQL of a cluster, or null for SQLite in {@code dataDir}
 * @param blobStore the shared S3-compatible store of a cluster, or null for {@code dataDir/blobs}
 * @param corsOrigins the web origins (e.g. {@code https://app.example}) whose pages may call the
 *     API from a browser, or {@code *} for any; none by default
 * @param tlsCertificate a PEM file of the server's certificate chain (the server's first) to
 *     serve HTTPS, or null for plain HTTP
 * @param tlsKey a PEM file of the certificate's private key (PKCS#8, or PKCS#1 for RSA), or null
 * @param minBodyRate bytes per second a request body must average past its first body timeout,
 *     or 0 for no minimum (default 500, as Apache's {@code mod_reqtimeout})
 * @param workers threads that do the blocking work (stores, disk); network waits hold none
 * @param maxRequestsPerFarm requests of one farm in flight at once; one more gets 429 at once
 *     (default half of {@code maxConcurrentRequests}, so that one tenant leaves room for others)
 * @param maxConnectionsPerAddress open connections from one client address, 0 for no limit (the
 *     default: behind a load balancer every client has its address)
 */
public record ServerConfig(
    String bind,
    int port,
    Path dataDir,
    String publicUrl,
    long maxUploadSize,
    List<String> accept,
    Duration sessionTtl,
    boolean faultInjection,
    Duration bodyTimeout,
    Duration idleTimeout,
    int maxConcurrentRequests,
    int maxConnections,
    int maxHeaderSize,
    Duration shutdownGrace,
    PostgresDatabase database,
    S3Location blobStore,
    List<String> corsOrigins,
    Path tlsCertificate,
    Path tlsKey,
    long minBodyRate,
    int workers,
    int maxRequestsPerFarm,
    int maxConnectionsPerAddress) {

  public ServerConfig {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(dataDir, "dataDir");
    accept = List.copyOf(accept);
    corsOrigins = corsOrigins.stream().map(ServerConfig::origin).toList();
    if (publicUrl != null && !publicUrl.endsWith("/")) {
      publicUrl = publicUrl + "/";
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
    if (minBodyRate < 0 || workers < 1 || maxConcurrentRequests < 1 || maxRequestsPerFarm < 1
        || maxConnectionsPerAddress < 0) {
      throw new IllegalArgumentException("limits must be positive (a minimum body rate and a"
          + " per-address connection limit of 0 turn them off)");
    }
    if ((tlsCertificate == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("HTTPS needs both a certificate and its key");
    }
  }

  /** Whether the server speaks HTTPS. */
  public boolean tls() {
    return tlsCertificate != null;
  }

  /**
   * An origin as browsers send it in {@code Origin}: scheme, host and an optional port, nothing
   * after (a trailing '/' is forgiven, a path is not: it could never match).
   */
  private static String origin(String origin) {
    String o = origin.trim();
    if (o.endsWith("/")) {
      o = o.substring(0, o.length() - 1);
    }
    if (!o.equals("*") && !o.matches("(?i)https?://[^/?#@\\s]+")) {
      throw new IllegalArgumentException("CORS origin '" + origin + "' is not an origin; give"
          + " scheme://host[:port] as the browser's address bar shows it, e.g."
          + " http://localhost:3000, or * for any");
    }
    return o.toLowerCase(java.util.Locale.ROOT);
  }

  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** Builds a {@link ServerConfig}; every setting starts at its default. */
  public static final class Builder {
    private final Path dataDir;
    private String bind = "127.0.0.1";
    private int port = 8080;
    private String publicUrl;
    private long maxUploadSize = 5L << 40;
    private List<String> accept = List.of("*/*");
    private Duration sessionTtl = Duration.ofDays(7);
    private boolean faultInjection;
    private Duration bodyTimeout = Duration.ofSeconds(20);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private int maxConcurrentRequests = 2048;
    private int maxConnections = 10_000;
    private int maxHeaderSize = 16 * 1024;
    private Duration shutdownGrace = Duration.ofSeconds(10);
    private Path tlsCertificate;
    private Path tlsKey;
    private PostgresDatabase database;
    private S3Location blobStore;
    private List<String> corsOrigins = List.of();
    private long minBodyRate = 500;
    private int workers = 64;
    private int maxRequestsPerFarm;
    private int maxConnectionsPerAddress;

    private Builder(Path dataDir) {
      this.dataDir = dataDir;
    }

    public Builder bind(String bind) {
      this.bind = bind;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder publicUrl(String publicUrl) {
      this.publicUrl = publicUrl;
      return this;
    }

    public Builder maxUploadSize(long bytes) {
      this.maxUploadSize = bytes;
      return this;
    }

    public Builder accept(List<String> patterns) {
      this.accept = patterns;
      return this;
    }

    public Builder sessionTtl(Duration ttl) {
      this.sessionTtl = ttl;
      return this;
    }

    public Builder faultInjection(boolean enabled) {
      this.faultInjection = enabled;
      return this;
    }

    public Builder bodyTimeout(Duration timeout) {
      this.bodyTimeout = timeout;
      return this;
    }

    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = timeout;
      return this;
    }

    public Builder maxConcurrentRequests(int n) {
      this.maxConcurrentRequests = n;
      return this;
    }

    public Builder maxConnections(int n) {
      this.maxConnections = n;
      return this;
    }

    public Builder maxHeaderSize(int bytes) {
      this.maxHeaderSize = bytes;
      return this;
    }

    public Builder shutdownGrace(Duration grace) {
      this.shutdownGrace = grace;
      return this;
    }

    /**
     * Serve HTTPS with the certificate chain in {@code certificate} and its private key in
     * {@code key}, both PEM; nulls for plain HTTP (the default).
     */
    public Builder tls(Path certificate, Path key) {
      this.tlsCertificate = certificate;
      this.tlsKey = key;
      return this;
    }

    /** A shared PostgreSQL instead of SQLite (null: SQLite). */
    public Builder database(PostgresDatabase database) {
      this.database = database;
      return this;
    }

    /** A shared S3-compatible blob store instead of the data folder (null: the folder). */
    public Builder blobStore(S3Location location) {
      this.blobStore = location;
      return this;
    }

    public Builder corsOrigins(List<String> origins) {
      this.corsOrigins = origins;
      return this;
    }

    /** Bytes per second a body must average past its first body timeout; 0: no minimum. */
    public Builder minBodyRate(long bytesPerSecond) {
      this.minBodyRate = bytesPerSecond;
      return this;
    }

    /** Threads for the blocking work; network waits hold none. */
    public Builder workers(int n) {
      this.workers = n;
      return this;
    }

    /** One farm's requests in flight at once (default: half of the server's). */
    public Builder maxRequestsPerFarm(int n) {
      this.maxRequestsPerFarm = n;
      return this;
    }

    /** Open connections from one client address; 0: no limit. */
    public Builder maxConnectionsPerAddress(int n) {
      this.maxConnectionsPerAddress = n;
      return this;
    }

    public ServerConfig build() {
      int perFarm = maxRequestsPerFarm > 0 ? maxRequestsPerFarm
          : Math.max(1, maxConcurrentRequests / 2);
      return new ServerConfig(bind, port, dataDir, publicUrl, maxUploadSize, accept, sessionTtl,
          faultInjection, bodyTimeout, idleTimeout, maxConcurrentRequests, maxConnections,
          maxHeaderSize, shutdownGrace, database, blobStore, corsOrigins, tlsCertificate, tlsKey,
          minBodyRate, workers, perFarm, maxConnectionsPerAddress);
    }
  }
}
