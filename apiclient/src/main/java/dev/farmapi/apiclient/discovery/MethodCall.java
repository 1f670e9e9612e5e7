package dev.farmapi.apiclient.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.HttpRequest;
import dev.farmapi.apiclient.ProgressListener;
import dev.farmapi.apiclient.ResumableSession;
import dev.farmapi.apiclient.UploadChunk;
import dev.farmapi.apiclient.discovery.MethodSpec.Paging;
import dev.farmapi.apiclient.media.MediaUpload;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One call of a discovery method, as Python's {@code farm.animals().insert(**kwargs)}: set its
 * parameters, body and media, then {@link #build()} an {@link HttpRequest}, or run it here.
 *
 * <pre>{@code
 * JsonNode pig = farm.resource("animals").method("insert")
 *     .body(Map.of("name", "Pig"))
 *     .mediaBody(Path.of("pig.png"))   // type guessed, checked against the method's accept
 *     .execute();
 * }</pre>
 *
 * <p>{@link #build()} checks the call as the Python client does when the method is called, and
 * throws {@link IllegalArgumentException} for unknown or missing required parameters, values
 * outside an enum or not matching a pattern, a body or media the method does not take;
 * {@link dev.farmapi.apiclient.UnacceptableMimeTypeError} for a file whose type the method does
 * not accept; {@link dev.farmapi.apiclient.MediaUploadSizeError} for media above its maximum.
 *
 * <p>A call is a mutable builder, not thread-safe. {@link #build()} makes a new, independent
 * request every time. {@link #execute()} and {@link #nextChunk()} instead work on one request
 * the call builds at the first of them and keeps, so that a {@code nextChunk()} loop goes on
 * with one upload; from then on the call can no longer be changed, and a second
 * {@code execute()} sends that request again, as Python's {@code request.execute()} does.
 */
public final class MethodCall {
  private final Service service;
  private final MethodSpec method;
  private final Map<String, Object> params = new LinkedHashMap<>();
  private final Map<String, String> headers = new LinkedHashMap<>();
  private Object body;
  private MediaUpload media;
  private Path mediaFile;
  private String mediaMimeType;
  private ProgressListener progressListener;
  private Consumer<ResumableSession> sessionListener;
  private ResumableSession resumeFrom;
  private HttpRequest<JsonNode> request; // built by the first execute() or nextChunk()

  MethodCall(Service service, MethodSpec method) {
    this.service = service;
    this.method = method;
  }

  /**
   * Sets a parameter by its name in the document. Path parameters are expanded into the path
   * (percent-encoded, even {@code /}, unless the template says {@code {+name}}); query parameters
   * go into the query. A repeated parameter takes a {@link java.util.List}; null removes it.
   * Values are checked and converted by {@link #build()}.
   */
  public MethodCall param(String name, Object value) {
    unstarted().params.put(Objects.requireNonNull(name, "name"), value);
    return this;
  }

  /** The JSON body: a {@link JsonNode}, a {@link Map}, a record, any Jackson-writable value. */
  public MethodCall body(Object value) {
    unstarted().body = value;
    return this;
  }

  /** Media to send with the call: resumable or not as the media says. */
  public MethodCall mediaBody(MediaUpload value) {
    unstarted().media = Objects.requireNonNull(value, "media");
    mediaFile = null;
    return this;
  }

  /**
   * A file to send, as Python's {@code media_body='pig.png'}: sent in one request, its type
   * guessed from its name unless {@link #mediaMimeType} gives it, and checked against the
   * method's {@code accept}. An empty or missing {@code accept} accepts no file at all, exactly
   * as in Python; a {@link MediaUpload} is not checked (nor is it in Python: the server decides).
   */
  public MethodCall mediaBody(Path file) {
    unstarted().mediaFile = Objects.requireNonNull(file, "file");
    media = null;
    return this;
  }

  /** The type of the file given to {@link #mediaBody(Path)}, instead of a guess. */
  public MethodCall mediaMimeType(String type) {
    unstarted().mediaMimeType = type;
    return this;
  }

  /** A header for this call's requests. */
  public MethodCall header(String name, String value) {
    unstarted().headers.put(name, value);
    return this;
  }

  /** Told about media bytes as they go out. */
  public MethodCall progressListener(ProgressListener listener) {
    unstarted().progressListener = listener;
    return this;
  }

  /** Told whenever a resumable session starts or advances: the place to save it. */
  public MethodCall sessionListener(Consumer<ResumableSession> listener) {
    unstarted().sessionListener = listener;
    return this;
  }

  /** Continues a resumable upload saved by an earlier process, with the same media. */
  public MethodCall resumeFrom(ResumableSession session) {
    unstarted().resumeFrom = session;
    return this;
  }

  /**
   * Checks the call and builds a new request. Its URL is {@code baseUrl + path + query}, with
   * {@code alt=json} when the method has a response; media goes to
   * {@code rootUrl + "upload/" + servicePath + path}.
   *
   * @throws IllegalArgumentException for a call the method does not allow (see the class)
   * @throws IOException when the file of {@link #mediaBody(Path)} cannot be read
   */
  public HttpRequest<JsonNode> build() throws IOException {
    Arguments.checkPayload(method, body != null,
        media != null || mediaFile != null || mediaMimeType != null);
    Arguments args = Arguments.resolve(method, params);
    MediaUpload upload = MediaBody.resolve(method, media, mediaFile, mediaMimeType);
    String alt = method.hasResponse() ? "json" : null; // Python's JsonModel; RawModel adds none
    HttpRequest.Builder<JsonNode> b = service.client()
        .request(method.httpMethod(), Urls.method(service.spec(), method, args, alt))
        .header("Accept", method.hasResponse() ? "application/json" : "*/*");
    headers.forEach(b::header);
    if (body != null) {
      b.body(body);
    }
    if (upload != null) {
      b.media(upload, Urls.mediaUpload(method, args, alt));
    }
    return b.progressListener(progressListener).sessionListener(sessionListener)
        .resumeFrom(resumeFrom).build();
  }

  /** Runs the call's request to the end, with the client's retry policy. */
  public JsonNode execute() throws IOException {
    return request().execute();
  }

  /** Runs the call's request to the end, retrying each request up to {@code numRetries} times. */
  public JsonNode execute(int numRetries) throws IOException {
    return request().execute(numRetries);
  }

  /** Sends the next chunk of the call's resumable upload (see {@link HttpRequest#nextChunk()}). */
  public UploadChunk<JsonNode> nextChunk() throws IOException {
    return request().nextChunk();
  }

  /** Sends the next chunk, retrying up to {@code numRetries} times. */
  public UploadChunk<JsonNode> nextChunk(int numRetries) throws IOException {
    return request().nextChunk(numRetries);
  }

  /**
   * The URL of the method's media, for a download: the method URL with {@code alt=media}, as
   * Python's {@code get_media}. The parameters are checked as by {@link #build()}.
   *
   * @throws IllegalStateException when the method has no {@code supportsMediaDownload}, or the
   *     call has a body or media
   */
  public URI mediaUri() {
    if (!method.supportsMediaDownload()) {
      throw new IllegalStateException(method.id() + " does not support media download");
    }
    if (body != null || media != null || mediaFile != null) {
      throw new IllegalStateException(method.id() + ": a media download sends no body or media");
    }
    return Urls.method(service.spec(), method, Arguments.resolve(method, params), "media");
  }

  /**
   * The call for the page after {@code previousResponse}, as Python's {@code list_next}: a new
   * call like this one (parameters, body, media, headers, listeners) with the page token set
   * from the response's {@code nextPageToken}; empty when the response has none.
   *
   * @throws IllegalStateException when the method does not page
   */
  public Optional<MethodCall> next(JsonNode previousResponse) {
    Paging paging = method.paging();
    if (paging == null) {
      throw new IllegalStateException(method.id() + " does not page: its response has no"
          + " nextPageToken, or it takes no pageToken");
    }
    JsonNode token = PageToken.of(previousResponse, paging);
    if (token == null) {
      return Optional.empty();
    }
    MethodCall next = new MethodCall(service, method);
    next.params.putAll(params);
    next.headers.putAll(headers);
    next.body = paging.inQuery() ? body
        : PageToken.inBody(service.client().json(), body, paging, token, method.id());
    next.media = media;
    next.mediaFile = mediaFile;
    next.mediaMimeType = mediaMimeType;
    next.progressListener = progressListener;
    next.sessionListener = sessionListener;
    if (paging.inQuery()) {
      next.params.put(paging.requestName(), token.asText());
    }
    return Optional.of(next);
  }

  /** The method's id, e.g. "farm.animals.insert". */
  public String id() {
    return method.id();
  }

  /** The method's HTTP method, e.g. "POST". */
  public String httpMethod() {
    return method.httpMethod();
  }

  private HttpRequest<JsonNode> request() throws IOException {
    if (request == null) {
      request = build();
    }
    return request;
  }

  private MethodCall unstarted() {
    if (request != null) {
      throw new IllegalStateException(method.id() + ": this call has started (execute or"
          + " nextChunk); start a new one to change it");
    }
    return this;
  }

  @Override
  public String toString() {
    // Names only: values may be secrets (a "key" parameter) and toString ends up in logs.
    return "MethodCall{" + method.id() + " " + params.keySet() + "}";
  }
}
