package dev.farmapi.apiclient.internal;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * Our HTTP/1.1 engine: blocking sockets, a pool of kept-alive connections per origin, one
 * reused buffer per connection, and file bodies sent with {@code transferTo} on plain HTTP (see
 * {@link Http1Connection}). It speaks only HTTP/1.1, directly: a request that a proxy should
 * carry goes to the JDK engine instead. TLS is set up on the first https request, so a plain
 * HTTP client never pays for loading the JDK's trust store.
 */
public final class Http1Engine implements HttpEngine {
  private static final int MAX_IDLE_PER_ORIGIN = 16;
  /** Idle connections older than this are not reused: servers close theirs after a while. */
  private static final long MAX_IDLE_NANOS = Duration.ofSeconds(25).toNanos();
  private static final Set<String> RESTRICTED = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
  /** RFC 9110 token: a method or a header name. Compiled once: it is checked on every request. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

  static {
    RESTRICTED.addAll(List.of("Host", "Content-Length", "Transfer-Encoding", "Connection",
        "Expect", "Upgrade"));
  }

  private final SSLContext sslContext; // null: the JDK's default, made on first use
  private final Duration connectTimeout;
  private final Supplier<HttpEngine> proxied;
  private final Map<String, ArrayDeque<Http1Connection>> idle = new HashMap<>();
  private volatile SSLSocketFactory tls;
  private volatile HttpEngine proxyEngine;

  /**
   * @param sslContext the TLS set-up for https, or null for the JDK's default
   * @param proxied makes the engine for requests that go through a proxy
   */
  public Http1Engine(SSLContext sslContext, Duration connectTimeout,
      Supplier<HttpEngine> proxied) {
    this.sslContext = sslContext;
    this.connectTimeout = connectTimeout;
    this.proxied = proxied;
  }

  @Override
  public Response execute(Request r) throws IOException {
    URI uri = r.uri();
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("not an http(s) URI: " + Uris.display(uri));
    }
    check(r);
    if (throughProxy(uri)) {
      return proxyEngine().execute(r);
    }
    String origin = scheme + "://" + uri.getHost() + ":" + Uris.port(uri);
    Http1Connection pooled = takeIdle(origin);
    if (pooled != null) {
      try {
        return exchange(pooled, r);
      } catch (IOException e) {
        // The server may have closed the idle connection just as it was taken. Sending again
        // is safe only when no body was read (observers saw nothing) and no answer came.
        if (pooled.answeredNow() || r.body().length() != 0 || e instanceof MediaSourceException
            || e instanceof java.net.SocketTimeoutException) {
          throw e;
        }
      }
    }
    Http1Connection fresh = Http1Connection.open(uri, origin,
        scheme.equals("https") ? tlsFactory() : null, connectTimeout);
    return exchange(fresh, r);
  }

  private Response exchange(Http1Connection c, Request r) throws IOException {
    try {
      try {
        c.send(r);
      } catch (IOException e) {
        Response early = e instanceof MediaSourceException ? null : c.earlyAnswer(r);
        if (early == null) {
          throw e;
        }
        return early;
      }
      return c.receive(r, this::release);
    } catch (IOException | RuntimeException e) {
      c.closeQuietly();
      throw e;
    }
  }

  private void release(Http1Connection c) {
    c.markIdle();
    synchronized (idle) {
      ArrayDeque<Http1Connection> kept = idle.computeIfAbsent(c.origin, o -> new ArrayDeque<>());
      if (kept.size() < MAX_IDLE_PER_ORIGIN) {
        kept.push(c);
        return;
      }
    }
    c.closeQuietly();
  }

  /** The most recently used live connection to the origin, or null. */
  private Http1Connection takeIdle(String origin) {
    while (true) {
      Http1Connection c;
      synchronized (idle) {
        ArrayDeque<Http1Connection> kept = idle.get(origin);
        c = kept == null ? null : kept.poll();
      }
      if (c == null) {
        return null;
      }
      if (!c.isStale(MAX_IDLE_NANOS)) {
        return c;
      }
      c.closeQuietly();
    }
  }

  /** The JDK client refuses these too: the engine frames the message itself. */
  private static void check(Request r) {
    if (!TOKEN.matcher(r.method()).matches()) {
      throw new IllegalArgumentException("not an HTTP method: " + r.method());
    }
    for (Map.Entry<String, String> h : r.headers().entrySet()) {
      String name = h.getKey();
      if (RESTRICTED.contains(name)) {
        throw new IllegalArgumentException("restricted header name: \"" + name + "\"");
      }
      if (!TOKEN.matcher(name).matches()
          || h.getValue().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
        throw new IllegalArgumentException("invalid header: \"" + name + "\"");
      }
    }
  }

  private static boolean throughProxy(URI uri) {
    ProxySelector selector = ProxySelector.getDefault();
    if (selector == null) {
      return false;
    }
    List<Proxy> proxies = selector.select(uri);
    return !proxies.isEmpty() && proxies.get(0).type() != Proxy.Type.DIRECT;
  }

  private HttpEngine proxyEngine() {
    HttpEngine e = proxyEngine;
    if (e == null) {
      synchronized (this) {
        if (proxyEngine == null) {
          proxyEngine = proxied.get();
        }
        e = proxyEngine;
      }
    }
    return e;
  }

  private SSLSocketFactory tlsFactory() throws IOException {
    SSLSocketFactory f = tls;
    if (f == null) {
      try {
        f = (sslContext != null ? sslContext : SSLContext.getDefault()).getSocketFactory();
      } catch (NoSuchAlgorithmException e) {
        throw new IOException("no TLS in this JDK: " + e.getMessage(), e);
      }
      tls = f;
    }
    return f;
  }
}
