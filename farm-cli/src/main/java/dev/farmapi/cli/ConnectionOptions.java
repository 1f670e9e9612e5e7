package dev.farmapi.cli;

import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.Credentials;
import dev.farmapi.apiclient.RetryPolicy;
import dev.farmapi.farm.Farm;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where to connect and with which key: {@code --server} / {@code FARM_SERVER} (default the local
 * {@code farm serve}), {@code --key} / {@code FARM_API_KEY}, else the admin key of
 * {@code ./farm-data} when the server is the local default.
 */
final class ConnectionOptions {
  static final String DEFAULT_SERVER = "http://127.0.0.1:8080/";
  private static final java.util.regex.Pattern HEADER_NAME =
      java.util.regex.Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  @Option(names = "--server", paramLabel = "URL",
      description = "Farm server (default: $FARM_SERVER, else " + DEFAULT_SERVER + ").")
  String server;

  @Option(names = "--key", paramLabel = "KEY",
      description = "API key (default: $FARM_API_KEY, else ./farm-data/admin.key for the local"
          + " default server).")
  String key;

  @Option(names = "--retries", paramLabel = "N",
      description = "Retries per request, with exponential backoff (default: ${DEFAULT-VALUE}).",
      defaultValue = "6")
  int retries;

  @Option(names = "--cacert", paramLabel = "FILE",
      description = "Trust the certificate authorities in this PEM file for HTTPS (as curl's),"
          + " e.g. the private CA of a 'farm serve --tls-cert'.")
  Path cacert;

  /** Sent with every request; for tests (x-retry-test-id of the fault injection) and debugging. */
  @Option(names = "--header", paramLabel = "NAME:VALUE",
      description = "An extra header on every request (repeatable), e.g. --header 'X-Trace: 42'.")
  List<String> headers;

  URI server() {
    String s = server != null ? server : System.getenv().getOrDefault("FARM_SERVER", DEFAULT_SERVER);
    URI uri = parse(s.endsWith("/") ? s : s + "/");
    if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
      throw new IllegalArgumentException("--server '" + s + "' is not a URL like " + DEFAULT_SERVER);
    }
    return uri;
  }

  String key() throws IOException {
    if (key != null) {
      return key;
    }
    String env = System.getenv("FARM_API_KEY");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    Path adminKey = Path.of("farm-data", "admin.key");
    if (isLocalDefault(server()) && Files.isReadable(adminKey)) {
      return Files.readString(adminKey).trim();
    }
    throw new Failures.CommandFailure(ExitCodes.AUTH, "no API key: pass --key or set"
        + " FARM_API_KEY (the server's admin key is in its data folder, in admin.key; 'farm keys"
        + " create --farm NAME' makes more)");
  }

  RetryPolicy retryPolicy() {
    return RetryPolicy.defaults().withMaxRetries(retries);
  }

  /** The Farm client; its retries are told on stderr unless {@code output} is quiet. */
  Farm farm(OutputOptions output) throws IOException {
    return farm(output, false);
  }

  /**
   * The Farm client, also checking media with MD5 if {@code verifyMd5} (CRC32C always is):
   * {@code farm download --md5}; otherwise the CPU is spared.
   */
  Farm farm(OutputOptions output, boolean verifyMd5) throws IOException {
    ApiClient.Builder client = clientBuilder().credentials(Credentials.bearer(key()))
        .retryListener(new RetryNotes(output, System.err)).verifyMd5(verifyMd5);
    for (String header : headers == null ? List.<String>of() : headers) {
      int colon = header.indexOf(':');
      String name = colon < 0 ? "" : header.substring(0, colon).trim();
      if (!HEADER_NAME.matcher(name).matches()) {
        throw new Failures.CommandFailure(ExitCodes.USAGE, "--header '" + header
            + "' is not NAME:VALUE, e.g. --header 'X-Trace: 42'");
      }
      client.header(name, header.substring(colon + 1).trim());
    }
    return Farm.connect(server(), client.build());
  }

  /** A Farm client builder with the retries and the trusted CA of these options, no key. */
  ApiClient.Builder clientBuilder() throws IOException {
    ApiClient.Builder client = Farm.clientBuilder().retryPolicy(retryPolicy());
    if (cacert != null) {
      client.sslContext(TrustedCertificates.sslContext(cacert));
    }
    return client;
  }

  private static URI parse(String s) {
    try {
      return new URI(s);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static boolean isLocalDefault(URI uri) {
    return uri.getPort() == 8080
        && (uri.getHost().equals("127.0.0.1") || uri.getHost().equals("localhost"));
  }
}
