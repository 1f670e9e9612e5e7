package dev.farmapi.apiclient.internal;

import dev.farmapi.apiclient.ServerUnreachableException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 connection: a blocking {@link SocketChannel}, with TLS layered on it for https.
 * It owns one buffer, reused by every request it carries: the request head and small bodies are
 * gathered in it and leave in one write; a large file body on plain HTTP goes by
 * {@code transferTo} instead ({@link DirectChannel}); over TLS every body passes through it.
 * Reads time out with {@code SO_TIMEOUT}, writes with a {@link Watchdog}, both after the
 * request's idle timeout.
 */
final class Http1Connection implements Closeable {
  /** The reused buffer: big enough that a 256 KiB chunk or a small upload is one write. */
  static final int BUFFER_SIZE = 256 * 1024;
  /** Most bytes per {@code transferTo}: the unit of progress and of the write watchdog. */
  private static final long STEP = 1 << 20;
  /**
   * Whether large file bodies go by {@code transferTo}; {@code -Dfarmapi.http1.transferTo=false}
   * sends them through the buffer instead, for measuring one against the other (BENCHMARKS.md).
   */
  private static final boolean TRANSFER_TO =
      !"false".equals(System.getProperty("farmapi.http1.transferTo"));
  /** How long a broken write waits for an answer the server may have sent before it. */
  private static final Duration EARLY_ANSWER_WAIT = Duration.ofMillis(250);
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  final String origin;
  private final String host;
  private final int port;
  private final SocketChannel channel;
  private final Socket socket; // reads and timeouts: the channel's socket, or TLS over it
  private final OutputStream tls; // null on plain HTTP
  private final Http1Input in;
  private final ByteBuffer buffer;
  private long idleSince;
  private boolean answeredNow; // the current request's answer has begun

  private Http1Connection(String origin, String host, int port, SocketChannel channel,
      SSLSocket tls) throws IOException {
    this.origin = origin;
    this.host = host;
    this.port = port;
    this.channel = channel;
    this.socket = tls != null ? tls : channel.socket();
    this.tls = tls != null ? tls.getOutputStream() : null;
    // Plain HTTP also reads bodies from the channel straight into direct buffers (downloads).
    this.in = new Http1Input(socket.getInputStream(), tls != null ? null : channel, 16 * 1024);
    // The JDK copies a heap buffer into direct memory to write it to a channel: plain HTTP
    // writes from direct memory; TLS encrypts from an array.
    this.buffer = tls != null ? ByteBuffer.allocate(BUFFER_SIZE)
        : ByteBuffer.allocateDirect(BUFFER_SIZE);
  }

  /** Connects to the first address of the URI's host that accepts, with TLS for https. */
  static Http1Connection open(URI uri, String origin, SSLSocketFactory tlsFactory,
      Duration connectTimeout) throws IOException {
    String host = uri.getHost();
    if (host == null) {
      throw new IllegalArgumentException("no host in " + Uris.display(uri));
    }
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    int port = Uris.port(uri);
    IOException failure = null;
    for (InetAddress address : InetAddress.getAllByName(bare)) {
      SocketChannel channel = SocketChannel.open();
      try {
        channel.socket().connect(new InetSocketAddress(address, port),
            (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        SSLSocket tls = tlsFactory == null ? null
            : handshake(tlsFactory, channel, bare, port, connectTimeout);
        return new Http1Connection(origin, bare, port, channel, tls);
      } catch (SocketTimeoutException e) {
        channel.close();
        failure = new HttpConnectTimeoutException("connecting to " + bare + ":" + port
            + " timed out after " + connectTimeout.toSeconds() + " s");
      } catch (IOException | RuntimeException e) {
        channel.close();
        if (failure == null) {
          failure = e instanceof IOException io ? io : new IOException(e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    throw failure;
  }

  private static SSLSocket handshake(SSLSocketFactory factory, SocketChannel channel,
      String host, int port, Duration timeout) throws IOException {
    SSLSocket tls = (SSLSocket) factory.createSocket(channel.socket(), host, port, true);
    SSLParameters parameters = tls.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
    tls.setSSLParameters(parameters);
    tls.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    tls.startHandshake();
    return tls;
  }

  /** Whether the answer to the request in flight has begun to arrive. */
  boolean answeredNow() {
    return answeredNow;
  }

  /** Sends the request line, headers and body. */
  void send(HttpEngine.Request r) throws IOException {
    answeredNow = false;
    long length = r.body().length();
    Watchdog.Watch watch = Watchdog.watch(r.idleTimeout(), this::closeQuietly);
    try {
      buffer.clear();
      head(r, length, watch);
      if (length != 0) {
        try (ReadableByteChannel source = open(r.body())) {
          if (length < 0) {
            chunked(source, watch);
          } else {
            fixed(source, length, watch);
          }
        }
      }
      flush(watch);
    } catch (IOException e) {
      if (watch.expired()) {
        throw idle(r, "sending the request", e);
      }
      throw e;
    } finally {
      watch.close();
    }
  }

  private void head(HttpEngine.Request r, long length, Watchdog.Watch watch) throws IOException {
    URI uri = r.uri();
    StringBuilder h = new StringBuilder(256);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    h.append(r.method()).append(' ').append(path);
    if (uri.getRawQuery() != null) {
      h.append('?').append(uri.getRawQuery());
    }
    h.append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
    if (uri.getPort() >= 0) {
      h.append(':').append(uri.getPort());
    }
    h.append("\r\n");
    for (Map.Entry<String, String> header : r.headers().entrySet()) {
      h.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
    }
    if (length > 0 || (length == 0 && bodyExpected(r.method()))) {
      h.append("Content-Length: ").append(length).append("\r\n");
    } else if (length < 0) {
      h.append("Transfer-Encoding: chunked\r\n");
    }
    h.append("\r\n");
    put(h.toString().getBytes(StandardCharsets.UTF_8), watch);
  }

  /** Methods whose empty body is still said, as the JDK client does. */
  private static boolean bodyExpected(String method) {
    return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
  }

  private static ReadableByteChannel open(Transport.Body body) throws MediaSourceException {
    try {
      return body.source().open();
    } catch (MediaSourceException e) {
      throw e;
    } catch (IOException e) {
      throw new MediaSourceException("opening the media failed: " + e.getMessage(), e);
    }
  }

  /** A body of known length: straight from a file when large, else through the buffer. */
  private void fixed(ReadableByteChannel source, long length, Watchdog.Watch watch)
      throws IOException {
    DirectChannel direct = TRANSFER_TO && tls == null && length > buffer.remaining()
        ? DirectChannel.of(source) : null;
    long left = length;
    if (direct != null) {
      flush(watch);
      while (left > 0) {
        long n = direct.writeTo(channel, Math.min(STEP, left), buffer);
        if (n < 0) {
          throw ended(length - left, length);
        }
        left -= n;
        watch.tick();
      }
      buffer.clear();
      return;
    }
    while (left > 0) {
      if (!buffer.hasRemaining()) {
        flush(watch);
      }
      int n = read(source, (int) Math.min(buffer.remaining(), left));
      if (n < 0) {
        throw ended(length - left, length);
      }
      left -= n;
    }
  }

  /** A body of unknown length, in chunks of what each read of the source gives. */
  private void chunked(ReadableByteChannel source, Watchdog.Watch watch) throws IOException {
    flush(watch);
    int reserve = 18; // up to 16 hex digits and CRLF before the data
    while (true) {
      buffer.clear().position(reserve);
      int n = read(source, buffer.capacity() - reserve - CRLF.length);
      if (n < 0) {
        buffer.clear();
        put(LAST_CHUNK, watch);
        return;
      }
      if (n == 0) {
        continue;
      }
      byte[] size = (Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      buffer.put(reserve - size.length, size).put(CRLF);
      buffer.flip().position(reserve - size.length);
      write(watch);
    }
  }

  /** Reads at most {@code max} source bytes into the buffer; failures are the source's. */
  private int read(ReadableByteChannel source, int max) throws MediaSourceException {
    int limit = buffer.limit();
    buffer.limit(buffer.position() + max);
    try {
      return source.read(buffer);
    } catch (MediaSourceException e) {
      throw e;
    } catch (IOException e) {
      throw new MediaSourceException("reading the media failed: " + e.getMessage(), e);
    } finally {
      buffer.limit(limit);
    }
  }

  private static MediaSourceException ended(long sent, long length) {
    return new MediaSourceException("the media ended after " + sent + " of " + length
        + " bytes", null);
  }

  private void put(byte[] bytes, Watchdog.Watch watch) throws IOException {
    for (int at = 0; at < bytes.length; ) {
      if (!buffer.hasRemaining()) {
        flush(watch);
      }
      int n = Math.min(buffer.remaining(), bytes.length - at);
      buffer.put(bytes, at, n);
      at += n;
    }
  }

  private void flush(Watchdog.Watch watch) throws IOException {
    buffer.flip();
    write(watch);
    buffer.clear();
  }

  /** Writes the buffer's remaining bytes. */
  private void write(Watchdog.Watch watch) throws IOException {
    if (tls != null) {
      tls.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
      buffer.position(buffer.limit());
    }
    while (buffer.hasRemaining()) {
      if (channel.write(buffer) > 0) {
        watch.tick(); // a server that reads slowly is not a stalled one
      }
    }
    watch.tick();
  }

  /**
   * The idle timeout, as the JDK engine reports it too: an {@link HttpTimeoutException} (which
   * the {@link Retrier} retries like any dropped connection).
   */
  private static HttpTimeoutException idle(HttpEngine.Request r, String doing, IOException e) {
    HttpTimeoutException timeout = new HttpTimeoutException(r.method() + " "
        + Uris.display(r.uri()) + ": nothing moved for " + r.idleTimeout().toMillis() / 1000.0
        + " s " + doing);
    timeout.initCause(e);
    return timeout;
  }

  /**
   * Reads the answer's head; its body is left for the caller, and {@code release} gets the
   * connection back once the body has been read to its end on a connection that can go on.
   */
  HttpEngine.Response receive(HttpEngine.Request r, Consumer<Http1Connection> release)
      throws IOException {
    try {
      return answer(r, release);
    } catch (SocketTimeoutException e) {
      throw idle(r, "waiting for the answer", e);
    }
  }

  /**
   * The answer a server gave before reading the whole body (a 401, a 413, a 503), after which
   * it stopped reading and our write broke: the caller needs that answer, not the broken pipe.
   * Null when nothing readable came within a moment (the connection just dropped). The
   * connection is not reused: the request was cut short.
   */
  HttpEngine.Response earlyAnswer(HttpEngine.Request r) {
    try {
      return answer(new HttpEngine.Request(r.method(), r.uri(), r.headers(), r.body(),
          EARLY_ANSWER_WAIT), connection -> connection.closeQuietly());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private HttpEngine.Response answer(HttpEngine.Request r, Consumer<Http1Connection> release)
      throws IOException {
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, r.idleTimeout().toMillis()));
    int first = in.peek();
    answeredNow = first >= 0;
    if (first == 0x15 || first == 0x16) { // a TLS alert or handshake record
      throw new ServerUnreachableException(ServerUnreachableException.Reason.TLS, host, port,
          false, "the server at " + host + ":" + port + " speaks TLS: use https:// rather"
              + " than http://", null);
    }
    Http1Head head = Http1Head.read(in, r.method());
    if (head == null) {
      throw new EOFException("the server closed the connection without answering "
          + r.method() + " " + Uris.display(r.uri()));
    }
    answeredNow = true;
    return new Answer(head, r, release);
  }

  /** Whether an idle connection can no longer carry a request (closed, or sent bytes unasked). */
  boolean isStale(long maxIdleNanos) {
    if (System.nanoTime() - idleSince > maxIdleNanos || in.hasBuffered()) {
      return true;
    }
    try {
      channel.configureBlocking(false);
      try {
        return channel.read(ByteBuffer.allocate(1)) != 0; // -1: closed; 1: unasked bytes
      } finally {
        channel.configureBlocking(true);
      }
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  void markIdle() {
    idleSince = System.nanoTime();
  }

  void closeQuietly() {
    try {
      close();
    } catch (IOException e) {
      // already unusable
    }
  }

  @Override
  public void close() throws IOException {
    channel.close(); // closes TLS's socket under it too; wakes any blocked read or write
  }

  /**
   * An answer whose body is read as a stream, or moved to a channel through the connection's
   * buffer ({@link #transferBodyTo}). Its end gives the connection back, or closes it.
   */
  private final class Answer implements HttpEngine.Response {
    private final int status;
    private final HttpHeaders headers;
    private final HttpEngine.Request request;
    private final boolean keepAlive;
    private final Consumer<Http1Connection> release;
    private final Http1Body body;
    private final InputStream timed;
    private boolean holding; // the body's bytes are in the buffer, on their way to a target
    private Boolean heldEnd; // how the body ended while holding: told once they are out
    private Watchdog.Watch watch; // reads from the channel have no SO_TIMEOUT: this is theirs

    Answer(Http1Head head, HttpEngine.Request request, Consumer<Http1Connection> release) {
      this.status = head.status();
      this.headers = head.headers();
      this.request = request;
      this.keepAlive = head.keepAlive();
      this.release = release;
      this.body = Http1Body.of(head, in, this::ended);
      this.timed = new TimedBody(body, request);
    }

    @Override
    public int status() {
      return status;
    }

    @Override
    public HttpHeaders headers() {
      return headers;
    }

    @Override
    public InputStream body() {
      return timed;
    }

    /**
     * Through the connection's buffer, idle while the answer is read: on plain HTTP it is direct
     * and filled straight from the socket, so the bytes go socket, buffer, target with no copy
     * in the JDK. A body that ends with this read gives the connection back only once its bytes
     * have left the buffer: the next request on the connection writes there.
     */
    @Override
    public long transferBodyTo(WritableByteChannel target, long max) throws IOException {
      buffer.clear().limit((int) Math.min(buffer.capacity(), max));
      holding = true;
      int n;
      try {
        n = read(buffer);
        if (n > 0) {
          buffer.flip();
          while (buffer.hasRemaining()) {
            target.write(buffer);
          }
        }
      } finally {
        holding = false;
        if (heldEnd != null) {
          ended(heldEnd);
        }
      }
      return n;
    }

    private int read(ByteBuffer dst) throws IOException {
      if (body.done()) {
        return -1; // and no watch: it would outlive the answer, on a connection reused since
      }
      if (tls == null && watch == null) {
        watch = Watchdog.watch(request.idleTimeout(), Http1Connection.this::closeQuietly);
      }
      try {
        if (watch != null) {
          watch.tick();
        }
        int n = body.read(dst);
        if (watch != null) {
          watch.tick();
        }
        return n;
      } catch (SocketTimeoutException e) {
        throw idle(request, "reading the answer", e);
      } catch (ClosedChannelException e) {
        if (watch != null && watch.expired()) {
          throw idle(request, "reading the answer", e);
        }
        throw e;
      }
    }

    /** The body's end, told once: the connection goes back to the pool, or is closed. */
    private void ended(boolean complete) {
      if (holding) {
        heldEnd = complete;
        return;
      }
      heldEnd = null;
      if (watch != null) {
        watch.close();
      }
      if (complete && keepAlive) {
        release.accept(Http1Connection.this);
      } else {
        closeQuietly();
      }
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  /** A body whose reads fail as the engine's idle timeout says. */
  private static final class TimedBody extends java.io.FilterInputStream {
    private final HttpEngine.Request request;

    TimedBody(InputStream body, HttpEngine.Request request) {
      super(body);
      this.request = request;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (SocketTimeoutException e) {
        throw idle(request, "reading the answer", e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (SocketTimeoutException e) {
        throw idle(request, "reading the answer", e);
      }
    }
  }

}
