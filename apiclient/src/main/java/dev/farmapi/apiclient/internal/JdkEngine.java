package dev.farmapi.apiclient.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The engine over the JDK's {@link HttpClient}, with what it lacks for uploads: a body streamed
 * from a channel ({@link ChannelPublisher}) and an idle timeout (the JDK only offers a timeout on
 * the whole wait for the response, which a large chunk on a slow link would trip). It costs more
 * CPU per byte than {@link Http1Engine} (a fresh 16 KiB heap buffer per read of the body, copied
 * again into direct memory) and ~190 ms to build, so the client is built on first use.
 */
public final class JdkEngine implements HttpEngine {
  private static final long POLL_MILLIS = 200;

  private final Supplier<HttpClient> clients;
  private volatile HttpClient client;

  /** @param clients makes the client when the first request needs it */
  public JdkEngine(Supplier<HttpClient> clients) {
    this.clients = clients;
  }

  /** The client this library builds by default: HTTP/1.1, no redirects, 30 s to connect. */
  public static HttpClient defaultClient(javax.net.ssl.SSLContext ssl) {
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade dance on every request body
        .followRedirects(HttpClient.Redirect.NEVER) // a 308 is "resume incomplete"
        .connectTimeout(Duration.ofSeconds(30));
    if (ssl != null) {
      b.sslContext(ssl);
    }
    return b.build();
  }

  private HttpClient client() {
    HttpClient c = client;
    if (c == null) {
      synchronized (this) {
        if (client == null) {
          client = clients.get();
        }
        c = client;
      }
    }
    return c;
  }

  @Override
  public Response execute(Request r) throws IOException {
    Transport.Body body = r.body();
    ChannelPublisher publisher = body.length() == 0
        ? null
        : new ChannelPublisher(body.source(), body.length());
    java.net.http.HttpRequest.BodyPublisher bodyPublisher = publisher == null
        ? java.net.http.HttpRequest.BodyPublishers.noBody()
        : body.length() > 0
            ? java.net.http.HttpRequest.BodyPublishers.fromPublisher(publisher, body.length())
            : java.net.http.HttpRequest.BodyPublishers.fromPublisher(publisher);
    java.net.http.HttpRequest.Builder request =
        java.net.http.HttpRequest.newBuilder(r.uri()).method(r.method(), bodyPublisher);
    r.headers().forEach(request::setHeader);
    CompletableFuture<HttpResponse<InputStream>> future =
        client().sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    long startNanos = System.nanoTime();
    while (true) {
      try {
        HttpResponse<InputStream> response = future.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
        // The JDK's body stream blocks forever on a server that stalls mid-answer.
        return new JdkResponse(response.statusCode(), response.headers(),
            IdleTimeoutInputStream.of(response.body(), r.idleTimeout()));
      } catch (TimeoutException e) {
        long idle = publisher == null ? System.nanoTime() - startNanos : publisher.idleNanos();
        if (idle > r.idleTimeout().toNanos()) {
          future.cancel(true);
          throw new HttpTimeoutException(r.method() + " " + Uris.display(r.uri())
              + ": nothing moved for " + r.idleTimeout().toSeconds() + " s");
        }
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
          throw sourceFailure(io);
        }
        throw new IOException(r.method() + " " + Uris.display(r.uri()) + " failed: " + cause,
            cause);
      } catch (InterruptedException e) {
        future.cancel(true);
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted: " + r.method() + " "
            + Uris.display(r.uri()));
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

  private record JdkResponse(int status, HttpHeaders headers, InputStream body)
      implements Response {
    /** The JDK hands out arrays: one per thread, reused by every body it moves. */
    private static final ThreadLocal<ByteBuffer> BUFFER =
        ThreadLocal.withInitial(() -> ByteBuffer.allocate(64 * 1024));

    @Override
    public long transferBodyTo(WritableByteChannel target, long max) throws IOException {
      ByteBuffer buffer = BUFFER.get();
      int n = body.read(buffer.array(), 0, (int) Math.min(buffer.capacity(), max));
      if (n > 0) {
        buffer.clear().limit(n);
        while (buffer.hasRemaining()) {
          target.write(buffer);
        }
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }
}
