package dev.farmapi.apiclient.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP exchange over the JDK's {@link HttpClient}, with what it lacks for uploads: a body
 * streamed from a channel ({@link ChannelPublisher}) and an idle timeout. The JDK only offers a
 * timeout on the whole wait for the response, which a large chunk on a slow link would trip; here
 * an exchange fails only when no byte has moved for {@code idleTimeout} (a stalled server, a dead
 * link), however long the transfer.
 */
public final class Transport {
  /** Responses we read whole (JSON, errors) are small; more is a broken or hostile server. */
  static final int MAX_RESPONSE_BYTES = 16 << 20;
  private static final long POLL_MILLIS = 200;

  private final HttpClient client;
  private final Duration idleTimeout;
  private final Map<String, String> defaultHeaders;

  public Transport(HttpClient client, Duration idleTimeout, Map<String, String> defaultHeaders) {
    this.client = client;
    this.idleTimeout = idleTimeout;
    this.defaultHeaders = Map.copyOf(defaultHeaders);
  }

  /**
   * How long an exchange may go without a byte moving. {@link #exchange} enforces it until the
   * response headers arrive; a caller streaming the body enforces it on its reads.
   */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** A response read whole. */
  public record Response(int status, HttpHeaders headers, byte[] body) {
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** A request body: its exact length (or -1 for chunked transfer) and where its bytes come from. */
  public record Body(long length, ChannelPublisher.Source source) {
    public static final Body EMPTY = new Body(0, null);

    public static Body of(byte[] bytes) {
      return bytes.length == 0 ? EMPTY : new Body(bytes.length,
          () -> java.nio.channels.Channels.newChannel(new java.io.ByteArrayInputStream(bytes)));
    }
  }

  /** Sends a request and reads the whole response (bounded). */
  public Response send(String method, URI uri, Map<String, String> headers, Body body)
      throws IOException {
    HttpResponse<InputStream> response = exchange(method, uri, headers, body);
    // The JDK's body stream blocks forever on a server that stalls mid-answer.
    try (InputStream in = IdleTimeoutInputStream.of(response.body(), idleTimeout)) {
      byte[] bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
      if (bytes.length > MAX_RESPONSE_BYTES) {
        throw new IOException("response to " + method + " " + uri + " is larger than "
            + MAX_RESPONSE_BYTES + " bytes");
      }
      return new Response(response.statusCode(), response.headers(), bytes);
    }
  }

  /** Sends a request and returns the response with its body unread: for downloads. */
  public HttpResponse<InputStream> exchange(String method, URI uri, Map<String, String> headers,
      Body body) throws IOException {
    ChannelPublisher publisher = body.length() == 0
        ? null
        : new ChannelPublisher(body.source(), body.length());
    HttpRequest.BodyPublisher bodyPublisher = publisher == null
        ? HttpRequest.BodyPublishers.noBody()
        : body.length() > 0
            ? HttpRequest.BodyPublishers.fromPublisher(publisher, body.length())
            : HttpRequest.BodyPublishers.fromPublisher(publisher);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, bodyPublisher);
    defaultHeaders.forEach(request::setHeader);
    headers.forEach(request::setHeader);
    CompletableFuture<HttpResponse<InputStream>> future =
        client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    long startNanos = System.nanoTime();
    while (true) {
      try {
        return future.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        long idle = publisher == null ? System.nanoTime() - startNanos : publisher.idleNanos();
        if (idle > idleTimeout.toNanos()) {
          future.cancel(true);
          throw new HttpTimeoutException(method + " " + uri + ": nothing moved for "
              + idleTimeout.toSeconds() + " s");
        }
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
          throw sourceFailure(io);
        }
        throw new IOException(method + " " + uri + " failed: " + cause, cause);
      } catch (InterruptedException e) {
        future.cancel(true);
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted: " + method + " " + uri);
      }
    }
  }

  /** The client wraps a body failure in its own IOException; surface ours when it is one. */
  private static IOException sourceFailure(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MediaSourceException source) {
        return source;
      }
    }
    return e;
  }
}
