package dev.farmapi.apiclient;

/**
 * The HTTP engine under an {@link ApiClient}: how requests reach the network. The rest of the
 * library (retries, sessions, checksums, progress) is the same over either.
 *
 * <p>The default is {@link #HTTP1}, unless the system property {@code farmapi.engine} names
 * another ({@code jdk}); {@link ApiClient.Builder#engine} chooses per client.
 */
public enum Engine {
  /**
   * The library's own HTTP/1.1 engine, the default: kept-alive connections with one reused
   * buffer each; a file's bytes go from the page cache to the socket with
   * {@code FileChannel.transferTo} (sendfile) on plain HTTP, and through that one buffer over
   * TLS. It costs a fraction of the JDK client's CPU per byte and nothing to start. Requests that
   * a proxy ({@link java.net.ProxySelector}) must carry go through {@link #JDK} instead.
   */
  HTTP1,

  /**
   * The JDK's {@link java.net.http.HttpClient}: for HTTP/2, proxies, or a client you configure
   * yourself ({@link ApiClient.Builder#httpClient}).
   */
  JDK;

  /** The engine named by the system property {@code farmapi.engine}, else {@link #HTTP1}. */
  static Engine fromSystemProperty() {
    String name = System.getProperty("farmapi.engine", "");
    for (Engine e : values()) {
      if (e.name().equalsIgnoreCase(name)) {
        return e;
      }
    }
    if (!name.isEmpty()) {
      throw new IllegalArgumentException("-Dfarmapi.engine=" + name + ": expected http1 or jdk");
    }
    return HTTP1;
  }
}
