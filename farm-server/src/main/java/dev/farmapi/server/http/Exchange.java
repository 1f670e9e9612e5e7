package dev.farmapi.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.server.ApiException;
import dev.farmapi.server.store.ApiKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request and its response, with the helpers every route needs: parsed path and query,
 * headers, the body (pushed window by window into a sink, or gathered before a step that pulls
 * it), JSON out (through the {@code fields} mask) and errors out. A route that waits for its body
 * returns; the step after runs on a worker once the bytes are there, and a failure anywhere
 * ends in {@link #fail}.
 */
final class Exchange {
  /** JSON request bodies are metadata; a megabyte is already generous. */
  static final int MAX_JSON_BODY = 1 << 20;

  private static final String JSON = "application/json; charset=UTF-8";

  final Request request;
  final Response response;
  final Callback callback;
  final String method;
  final List<String> path;
  final QueryParams query;
  final String baseUrl;
  final FieldMask fields;
  final Serving serving;
  private final Failures failures;
  private BodyReader reader;
  /** The request's API key, once authenticated; null when it sent none. */
  ApiKey key;
  /** The farm of the request's API key, once authenticated; null when it sent none. */
  String farm;
  /** The fault-injection method id the request counts as, for metrics and faults. */
  String methodId = "";

  /** Renders a failure of an exchange as its answer (or as no answer). */
  interface Failures {
    void render(Exchange ex, Throwable failure);

    /** Tells that a body was cut for silence or slowness (counted, logged). */
    default void bodyCut(BodyReader.BodyTimeoutException cause) {}

    /** Tells that the exchange's connection was cut, for {@code reason} (counted, logged). */
    default void cut(String reason) {}
  }

  /** A step of a route that runs once what it needs of the body is in. */
  interface Step {
    void run() throws Exception;
  }

  Exchange(Request request, Response response, Callback callback, Serving serving,
      Failures failures) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.method = request.getMethod();
    this.serving = serving;
    this.failures = failures;
    String publicUrl = serving.publicUrl();
    String p = Request.getPathInContext(request);
    this.path = Arrays.stream(p.split("/")).filter(s -> !s.isEmpty()).toList();
    this.query = QueryParams.parse(request.getHttpURI().getQuery());
    this.baseUrl = publicUrl != null ? publicUrl : ownBaseUrl(request);
    this.fields = FieldMask.parse(query.get("fields"));
  }

  private static String ownBaseUrl(Request request) {
    var uri = request.getHttpURI();
    return uri.getScheme() + "://" + uri.getAuthority() + "/";
  }

  String header(HttpHeader name) {
    return request.getHeaders().get(name);
  }

  String header(String name) {
    return request.getHeaders().get(name);
  }

  /**
   * The declared length of the (decoded) body, or -1 when the body is chunked, absent, or
   * content-encoded: the Content-Length of a gzip body counts encoded bytes, not media bytes.
   */
  long contentLength() {
    return gzipEncoded() ? -1 : request.getLength();
  }

  /**
   * The request body as a blocking channel, decoded when it was sent with
   * {@code Content-Encoding: gzip}: for a step that pulls, after {@link #afterBody}.
   */
  ReadableByteChannel body() {
    RequestBody raw = new RequestBody(reader(), serving.bodyTimeout());
    return gzipEncoded() ? new GzipBody(raw) : raw;
  }

  /** The body's reader, made at first use; its buffer goes back when the exchange is over. */
  BodyReader reader() {
    if (reader == null) {
      BodyReader made = new BodyReader(request, serving, failures::bodyCut);
      Request.addCompletionListener(request, failure -> made.close());
      reader = made;
    }
    return reader;
  }

  /** Whether the body comes encoded, so that only a decoder that pulls can read it. */
  boolean encoded() {
    return gzipEncoded();
  }

  /**
   * Runs {@code step} once {@code want} bytes of the body (or all of it, when shorter) are in,
   * gathered without a thread; at once when they already are. The step may then read that much
   * through {@link #body()} without waiting.
   */
  void afterBody(int want, Step step) {
    long declared = request.getLength();
    int needed = declared >= 0 && !gzipEncoded() ? (int) Math.min(want, declared) : want;
    if (declared == 0 || (declared < 0 && !hasBody())) {
      runStep(step);
      return;
    }
    Runnable resume = () -> runStep(step);
    if (reader().poll(needed, resume, false) != null) {
      runStep(step);
    }
  }

  /**
   * Runs {@code step} once the whole body (at most {@code max} bytes; a longer one is the
   * step's to refuse) is in memory: it must arrive within the body timeout, whatever its rate,
   * since it holds memory until then. For JSON bodies.
   */
  void afterWholeBody(int max, Step step) {
    if (request.getLength() >= max) {
      runStep(step); // too long to gather: the step refuses it from its headers
      return;
    }
    reader().completeWithin(serving.bodyTimeout());
    afterBody(max, step);
  }

  /** Runs a step on this worker; a failure becomes the exchange's answer. */
  void runStep(Step step) {
    try {
      step.run();
    } catch (Throwable e) {
      fail(e);
    }
  }

  /** Ends the exchange for {@code failure}: an error answer, or none when nobody listens. */
  void fail(Throwable failure) {
    failures.render(this, failure);
  }

  /**
   * Cuts the exchange's connection (a client too slow to be served), counted under
   * {@code reason}: with a reset, so that the bytes the kernel still holds for it are dropped
   * rather than trickled out; whatever is in progress on it fails and ends the exchange.
   */
  void cut(String reason, String why) {
    failures.cut(reason);
    org.slf4j.LoggerFactory.getLogger(Exchange.class).debug("cutting {}: {}", reason, why);
    BrokenResponses.resetConnection(this);
  }

  /** A request without Content-Length has a body only when it is chunked. */
  private boolean hasBody() {
    return request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
  }

  private boolean gzipEncoded() {
    String encoding = header(HttpHeader.CONTENT_ENCODING);
    if (encoding == null) {
      return false;
    }
    String coding = encoding.trim().toLowerCase(java.util.Locale.ROOT);
    if (coding.equals("gzip") || coding.equals("x-gzip")) {
      return true;
    }
    if (coding.isEmpty() || coding.equals("identity")) {
      return false;
    }
    throw new ApiException(415, "unsupportedContentEncoding", "Content-Encoding '"
        + Texts.excerpt(encoding) + "' is not supported; send the body as is or gzip-encoded");
  }

  /** Reads a JSON object body of at most {@link #MAX_JSON_BODY} bytes. */
  ObjectNode jsonBody(String what) throws IOException {
    long declared = contentLength();
    if (declared > MAX_JSON_BODY) {
      throw tooLarge(what);
    }
    try (ReadableByteChannel body = body()) {
      ByteBuffer buffer = ByteBuffer.allocate(declared >= 0 ? (int) declared + 1 : 8192);
      while (body.read(buffer) >= 0) {
        // On what was read, not on the buffer's size: a doubled buffer holds up to 2 MiB.
        if (buffer.position() > MAX_JSON_BODY) {
          throw tooLarge(what);
        }
        if (!buffer.hasRemaining()) {
          buffer = ByteBuffer.allocate(buffer.capacity() * 2).put(buffer.flip());
        }
      }
      return Json.parseObject(Arrays.copyOf(buffer.array(), buffer.position()), what);
    }
  }

  private static ApiException tooLarge(String what) {
    return new ApiException(413, "payloadTooLarge",
        what + " is larger than " + MAX_JSON_BODY + " bytes; metadata must be small");
  }

  void sendJson(int status, JsonNode json) {
    send(status, "application/json; charset=UTF-8", Json.bytes(fields.apply(json)));
  }

  /** An empty response, e.g. 204, 308 or 499. */
  void sendEmpty(int status) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
    response.write(true, null, lingering());
  }

  void sendError(ApiException e) {
    write(response, lingering(), e.status(), JSON, errorBody(e));
  }

  void send(int status, String contentType, byte[] body) {
    write(response, lingering(), status, contentType, body);
  }

  /**
   * Writes a Google-style JSON error for a request no Exchange serves (it could not be parsed,
   * or Jetty itself refused it): without a drain, such an answer only says
   * {@code Connection: close} when the body is unread.
   */
  static void writeError(Response response, Callback callback, ApiException e) {
    if (!response.isCommitted() && !response.getRequest().consumeAvailable()) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    write(response, callback, e.status(), JSON, errorBody(e));
  }

  private static byte[] errorBody(ApiException e) {
    ObjectNode error = Json.object();
    ObjectNode body = error.putObject("error")
        .put("code", e.status())
        .put("message", e.getMessage())
        .put("status", e.statusName());
    body.putArray("errors").addObject()
        .put("domain", "global")
        .put("reason", e.reason())
        .put("message", e.getMessage());
    return Json.bytes(error);
  }

  private static void write(Response response, Callback callback, int status, String contentType,
      byte[] body) {
    if (status == 401) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"farm\"");
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /**
   * Bodies of at most this many bytes are read to their end after an answer that did not need
   * them (a chunk the server already holds, a gap, an error): larger ones are cut off.
   */
  static final long MAX_DRAIN = 256L << 20;

  /** Set when the body already failed (went silent): nothing more will come of it. */
  boolean bodyFailed;

  /**
   * The callback that completes the exchange. When the request body has not all been read (an
   * answer that did not need it: a chunk the server already holds, a gap, an error, an injected
   * fault), the answer says {@code Connection: close} and the rest of the body is read and
   * dropped before the connection closes. Clients write their whole body before they read:
   * closing on an unread body resets the connection and loses the answer, and a keep-alive
   * client that was not told would reuse a dead connection. Answer first, so that a client that
   * sends nothing more (the Python client's body-less retry) reads it at once; then drain.
   */
  private Callback lingering() {
    if (response.isCommitted() || !bodyPending()) {
      return callback; // all of the body is in: the connection can stay open
    }
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    if (bodyFailed || request.getLength() > MAX_DRAIN) {
      return callback; // nothing more will come, or too much to wait for
    }
    return Callback.from(this::drainThenSucceed, callback::failed);
  }

  /**
   * Whether some of the request body may still come; drops what already arrived. (Not Jetty's
   * {@code consumeAvailable()}: when the body is not all there, that gives up on it, and the
   * drain below could no longer read it.)
   */
  private boolean bodyPending() {
    if (reader != null && reader.ended()) {
      return false;
    }
    Content.Chunk chunk = request.read();
    if (chunk == null) {
      return true;
    }
    try {
      return !chunk.isLast() && !Content.Chunk.isFailure(chunk);
    } finally {
      chunk.release();
    }
  }

  private void drainThenSucceed() {
    drained = 0;
    drainStep();
  }

  private long drained;

  /** Reads and drops the rest of the body without a thread, then completes the exchange. */
  private void drainStep() {
    while (drained < MAX_DRAIN) {
      BodyReader.Window window = reader().poll(BodyReader.WINDOW, this::drainStep, true);
      if (window == null) {
        return; // resumed when more bytes are in; silent or gone: the reader's timeout ends it
      }
      ByteBuffer bytes = window.bytes();
      drained += bytes.remaining();
      bytes.position(bytes.limit());
      if (window.last() || window.failure() != null) {
        break;
      }
    }
    callback.succeeded(); // the answer is out; the connection closes (it said so)
  }

  void sendText(int status, String contentType, String text) {
    send(status, contentType, text.getBytes(StandardCharsets.UTF_8));
  }
}
