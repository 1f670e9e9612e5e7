package dev.farmapi.cli;

import dev.farmapi.server.FarmServer;
import dev.farmapi.server.ServerConfig;
import java.net.BindException;
import dev.farmapi.server.store.PostgresDatabase;
import dev.farmapi.server.store.S3Location;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farm serve}: runs the Farm server until interrupted (Ctrl-C or SIGTERM). */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Run the Farm server on the embedded store (SQLite and a blob folder), or as one"
        + " node of a cluster on shared stores (--database, --blobs)."})
final class ServeCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "8080", description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--data", defaultValue = "./farm-data", description = "Data folder (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--public-url", description = "Root URL clients reach the server at, when not the one they connect to (behind a proxy).")
  String publicUrl;

  @Option(names = "--max-upload-size", defaultValue = "5T", description = "Largest media accepted, e.g. 100M or 5T (default: ${DEFAULT-VALUE}).")
  Long maxUploadSize;

  @Option(names = "--accept", split = ",", defaultValue = "*/*", description = "Accepted media types, comma separated, e.g. image/*,video/mp4 (default: ${DEFAULT-VALUE}).")
  List<String> accept;

  @Option(names = "--session-ttl", defaultValue = "7d", description = "How long a resumable upload session lives (default: ${DEFAULT-VALUE}).")
  Duration sessionTtl;

  @Option(names = "--body-timeout", defaultValue = "20s", description = "How long a request body may go silent before the request fails with 408 (default: ${DEFAULT-VALUE}).")
  Duration bodyTimeout;

  @Option(names = "--min-body-rate", paramLabel = "BYTES", defaultValue = "500", description = "Bytes per second a request body must average past its first --body-timeout, or the request fails with 408; 0 for no minimum (default: ${DEFAULT-VALUE}).")
  long minBodyRate;

  @Option(names = "--max-requests", paramLabel = "N", defaultValue = "2048", description = "Requests in flight at once, counted from head to answer (a body on its way costs memory, not a thread); one more is refused at once with 503 and Retry-After (default: ${DEFAULT-VALUE}).")
  int maxRequests;

  @Option(names = "--max-requests-per-farm", paramLabel = "N", description = "Requests of one farm (API key's farm) in flight at once; one more gets 429 and Retry-After (default: half of --max-requests).")
  int maxRequestsPerFarm;

  @Option(names = "--workers", paramLabel = "N", defaultValue = "64", description = "Threads for the blocking work (storage, database); slow clients hold none (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--max-connections", paramLabel = "N", defaultValue = "10000", description = "Open connections at once; more wait to be accepted (default: ${DEFAULT-VALUE}; mind the open-files limit).")
  int maxConnections;

  @Option(names = "--max-connections-per-address", paramLabel = "N", defaultValue = "0", description = "Open connections from one client address; more are closed at once. Off (0) by default: behind a load balancer every client has its address.")
  int maxConnectionsPerAddress;

  @Option(names = "--database", paramLabel = "URL", description = "Shared PostgreSQL of a cluster,"
      + " postgresql://HOST:PORT/DB?user=USER (password from FARM_DATABASE_PASSWORD) instead of"
      + " SQLite in the data folder.")
  String database;

  @Option(names = "--blobs", paramLabel = "URL", description = "Shared S3-compatible blob store,"
      + " s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION (credentials from AWS_ACCESS_KEY_ID and"
      + " AWS_SECRET_ACCESS_KEY) instead of the data folder.")
  String blobs;

  @Option(names = "--cors-origin", paramLabel = "ORIGIN", description = "A web origin whose pages may call the API from a browser, e.g. http://localhost:3000, or * for any; repeatable (default: none, the page at / needs none).")
  List<String> corsOrigins = new java.util.ArrayList<>();

  @Option(names = "--fault-injection", description = "Offer the retry-test fault-injection API (for tests only).")
  boolean faultInjection;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve HTTPS with this certificate chain (PEM, the server's certificate first).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "The certificate's private key (PEM: PKCS#8, or PKCS#1 for RSA; unencrypted).")
  Path tlsKey;

  @Override
  public Integer call() throws Exception {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new Failures.CommandFailure(ExitCodes.USAGE, "HTTPS needs both --tls-cert and"
          + " --tls-key");
    }
    ServerConfig config = config();
    FarmServer server;
    try {
      server = FarmServer.start(config);
    } catch (BindException e) {
      // Nothing was created: the address is taken before the data folder is opened.
      throw new Failures.CommandFailure(ExitCodes.USAGE, e.getMessage()
          + (e.getMessage().endsWith("in use") ? " (another server? pick one with --port)"
              : " (see --bind)"), e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close(); // graceful: requests in flight finish, the database closes cleanly
        System.err.println("Farm server stopped");
        System.err.flush();
      } catch (Exception e) {
        System.err.println("farm: stopping the server failed: " + e.getMessage());
      } finally {
        stopped.countDown();
      }
    }, "farm-shutdown"));
    boolean shared = database != null;
    System.out.println("Farm server listening on " + server.uri() + " (" + where() + ")");
    server.newAdminKey().ifPresent(key -> System.out.println("Admin API key (shown once"
        + (shared ? "" : "; also in " + data.resolve("admin.key")) + "): " + key));
    // The key goes after '#': browsers never send the fragment, so no server or proxy logs it.
    System.out.println("The Farm in a browser: " + server.uri()
        + server.newAdminKey().map(key -> "#key=" + key).orElse(" (sign in with an API key)"));
    if (faultInjection) {
      System.out.println("Fault injection is ON: " + server.uri() + "retry_test");
    }
    System.out.flush();
    stopped.await();
    return ExitCodes.OK;
  }

  private String where() {
    if (database == null && blobs == null) {
      return "data in " + data;
    }
    return (database == null ? "metadata in " + data : "metadata in "
        + PostgresDatabase.parse(database, null)) + ", "
        + (blobs == null ? "blobs in " + data : "blobs in " + S3Location.parse(blobs));
  }

  /** The server's configuration from the options (an unusable value is a usage error). */
  ServerConfig config() {
    return ServerConfig.builder(data)
        .port(port)
        .bind(bind)
        .publicUrl(publicUrl)
        .maxUploadSize(maxUploadSize)
        .accept(accept)
        .sessionTtl(sessionTtl)
        .bodyTimeout(bodyTimeout)
        .minBodyRate(minBodyRate)
        .maxConcurrentRequests(maxRequests)
        .maxRequestsPerFarm(maxRequestsPerFarm)
        .workers(workers)
        .maxConnections(maxConnections)
        .maxConnectionsPerAddress(maxConnectionsPerAddress)
        .faultInjection(faultInjection)
        .tls(tlsCert, tlsKey)
        .database(database == null ? null
            : PostgresDatabase.parse(database, System.getenv("FARM_DATABASE_PASSWORD")))
        .blobStore(blobs == null ? null : S3Location.parse(blobs))
        .corsOrigins(corsOrigins)
        .build();
  }
}
