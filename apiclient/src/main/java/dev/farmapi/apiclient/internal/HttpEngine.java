package dev.farmapi.apiclient.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.Map;

/**
 * The seam under {@link Transport}: sends one HTTP request and gives back the response with its
 * body unread. An engine knows sockets and HTTP framing and nothing of uploads, retries or
 * checksums, which live above it ({@link Retrier} decides every retry). It enforces the idle
 * timeout everywhere it waits on the network: sending the body, waiting for the answer and
 * reading the answer's body each fail once {@code idleTimeout} passes without a byte moving.
 *
 * <p>Two engines: {@link Http1Engine} (ours: HTTP/1.1 over plain sockets, file bodies with
 * {@code transferTo}, one reused buffer per connection) and {@link JdkEngine} (the JDK's
 * {@code HttpClient}, for what ours does not do: proxies, HTTP/2, a client the user supplies).
 */
public interface HttpEngine {

  /** Sends the request; the caller reads the response's body and closes the response. */
  Response execute(Request request) throws IOException;

  /** One request: every header the engine must send (the engine adds framing and Host only). */
  record Request(String method, URI uri, Map<String, String> headers, Transport.Body body,
      Duration idleTimeout) {}

  /**
   * An answer whose body is still on the wire. Closing it returns the connection to the pool
   * when the body was read to its end, and drops the connection otherwise.
   */
  interface Response extends Closeable {
    int status();

    HttpHeaders headers();

    /** The body; reads fail with a {@link java.net.SocketTimeoutException} after the idle timeout. */
    InputStream body();

    /**
     * Moves at most {@code max} (positive) of the body's next bytes to {@code target} and returns
     * how many, or -1 at the body's end: for downloads, so that the bytes go from the socket to
     * the file through one reused buffer, read once and written once, nothing allocated per
     * buffer. Reads the same bytes as {@link #body()} (use one or the other). Failures of
     * {@code target} come out as they are. {@link Http1Engine} reads into its connection's
     * buffer, which is direct on plain HTTP, so the JDK copies nothing between the socket and
     * the file.
     */
    long transferBodyTo(WritableByteChannel target, long max) throws IOException;

    @Override
    void close() throws IOException;
  }
}
