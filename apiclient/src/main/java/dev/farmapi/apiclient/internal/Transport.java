package dev.farmapi.apiclient.internal;

import dev.farmapi.apiclient.CredentialsException;
import dev.farmapi.apiclient.ServerUnreachableException;
import dev.farmapi.apiclient.ServerUnreachableException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * What the uploaders and downloaders call to talk HTTP: adds the client's headers, hands the
 * request to the {@link HttpEngine}, and says in words why a server could not be reached. A
 * server this client has never had an answer from is "unreachable" (refused, unresolved, a TLS
 * mismatch) and that is final, so a mistyped address fails at once instead of after minutes of
 * retries; once a server has answered, the same failures are a server going away for a moment
 * (a restart) and are retried.
 */
public final class Transport {
  /** Responses we read whole (JSON, errors) are small; more is a broken or hostile server. */
  static final int MAX_RESPONSE_BYTES = 16 << 20;

  private final HttpEngine engine;
  private final Duration idleTimeout;
  private final Map<String, String> defaultHeaders;
  private final Set<String> answered = ConcurrentHashMap.newKeySet(); // origins that answered

  public Transport(HttpEngine engine, Duration idleTimeout, Map<String, String> defaultHeaders) {
    this.engine = engine;
    this.idleTimeout = idleTimeout;
    this.defaultHeaders = Map.copyOf(defaultHeaders);
  }

  /** How long an exchange may go without a byte moving. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** A response read whole. */
  public record Response(int status, HttpHeaders headers, byte[] body) {
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** Opens the bytes of a body; called again for every attempt. */
  public interface Source {
    ReadableByteChannel open() throws IOException;
  }

  /** A request body: its exact length (or -1 for chunked transfer) and where its bytes come from. */
  public record Body(long length, Source source) {
    public static final Body EMPTY = new Body(0, null);

    public static Body of(byte[] bytes) {
      return bytes.length == 0 ? EMPTY : new Body(bytes.length, () -> new ByteArrayChannel(bytes));
    }
  }

  /** Sends a request and reads the whole response (bounded). */
  public Response send(String method, URI uri, Map<String, String> headers, Body body)
      throws IOException {
    try (HttpEngine.Response response = exchange(method, uri, headers, body);
         InputStream in = response.body()) {
      byte[] bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
      if (bytes.length > MAX_RESPONSE_BYTES) {
        throw new IOException("response to " + method + " " + Uris.display(uri)
            + " is larger than " + MAX_RESPONSE_BYTES + " bytes");
      }
      return new Response(response.status(), response.headers(), bytes);
    }
  }

  /** Sends a request and returns the response with its body unread: for downloads. */
  public HttpEngine.Response exchange(String method, URI uri, Map<String, String> headers,
      Body body) throws IOException {
    Map<String, String> all = new LinkedHashMap<>(defaultHeaders);
    all.putAll(headers);
    String origin = uri.getScheme() + "://" + uri.getAuthority();
    HttpEngine.Response response;
    try {
      response = engine.execute(new HttpEngine.Request(method, uri, all, body, idleTimeout));
    } catch (IOException e) {
      throw unreachable(e, uri, answered.contains(origin));
    }
    answered.add(origin);
    return response;
  }

  /** A failure to reach the server, said in words; any other failure as it is. */
  static IOException unreachable(IOException e, URI uri, boolean answeredBefore) {
    if (e instanceof ServerUnreachableException || e instanceof CredentialsException) {
      return e; // said already; a token endpoint's failure is not the API server's
    }
    String host = uri.getHost();
    int port = Uris.port(uri);
    String where = host + ":" + port;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) {
        return new ServerUnreachableException(Reason.UNRESOLVED, host, port, answeredBefore,
            "the host name '" + host + "' did not resolve (DNS)", e);
      }
      if (t instanceof ConnectException && !(t instanceof HttpConnectTimeoutException)) {
        return new ServerUnreachableException(Reason.REFUSED, host, port, answeredBefore,
            "nothing is listening at " + where + " (connection refused)", e);
      }
      if (t instanceof HttpConnectTimeoutException
          || t instanceof SocketTimeoutException && t.getMessage() != null
              && t.getMessage().startsWith("Connect timed out")) {
        return new ServerUnreachableException(Reason.TIMEOUT, host, port, answeredBefore,
            "no answer from " + where + " to a connection request", e);
      }
      if (t instanceof SSLException ssl && !answeredBefore) {
        return new ServerUnreachableException(Reason.TLS, host, port, false,
            tlsFailure(uri, where, ssl), e);
      }
    }
    return e;
  }

  private static String tlsFailure(URI uri, String where, SSLException e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("Unsupported or unrecognized SSL message") || m.contains("plaintext")) {
      return "the server at " + where + " does not speak TLS: use http:// rather than https://";
    }
    if (m.contains("PKIX") || m.contains("certification path")
        || m.contains("No subject alternative") || m.contains("No name matching")) {
      return "the TLS certificate of " + where + " is not trusted for '" + uri.getHost()
          + "' (" + m + "); pass the CA that signed it";
    }
    return "the TLS handshake with " + where + " failed: " + m;
  }
}
