package dev.farmapi.apiclient;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.internal.ResumableUploader;
import dev.farmapi.apiclient.internal.SingleRequest;
import dev.farmapi.apiclient.internal.UploadContext;
import dev.farmapi.apiclient.media.MediaUpload;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One API call, possibly with media, as Python's {@code HttpRequest}: {@link #execute()} runs it
 * to the end; for a resumable upload, {@link #nextChunk()} sends one chunk at a time and reports
 * progress.
 *
 * <p>How media travels follows the Python client: a {@linkplain MediaUpload#isResumable()
 * resumable} media goes in a resumable session; otherwise media without a body is a simple
 * upload, and media with a body a multipart one.
 *
 * <pre>{@code
 * HttpRequest<Animal> request = farm.animals().insert(new Animal("Pig"), media);
 * Animal response = null;
 * while (response == null) {
 *   UploadChunk<Animal> chunk = request.nextChunk();
 *   chunk.progress().ifPresent(p -> System.out.printf("Uploaded %d%%.%n", (int) (p.progress() * 100)));
 *   response = chunk.response();
 * }
 * }</pre>
 *
 * <p>A request is stateful (it knows its session and offset) and not thread-safe.
 */
public final class HttpRequest<T> {
  private final UploadContext context;
  private final String method;
  private final URI uri;
  private final Map<String, String> headers;
  private final byte[] body;
  private final MediaUpload media;
  private final URI uploadUri;
  private final ResponseParser<T> parser;
  private final ProgressListener progress;
  private final ResumableUploader resumable; // null unless the media is resumable

  private HttpRequest(Builder<T> b) {
    this.context = b.context;
    this.method = b.method;
    this.uri = b.uri;
    this.headers = Map.copyOf(b.headers);
    this.body = b.body;
    this.media = b.media;
    this.uploadUri = b.uploadUri;
    this.parser = b.parser;
    this.progress = b.progress;
    this.resumable = media != null && media.isResumable()
        ? new ResumableUploader(context, method, uploadUri, headers, body, media, progress,
            b.sessionListener, b.resumeFrom)
        : null;
  }

  /** Runs the call to the end, retrying as the client's {@link RetryPolicy} allows. */
  public T execute() throws IOException {
    return execute(context.retryPolicy().maxRetries());
  }

  /**
   * Runs the call to the end, retrying each request up to {@code numRetries} times with
   * exponential backoff. A resumable upload asks the server where it stands after a failure and
   * goes on from there.
   */
  public T execute(int numRetries) throws IOException {
    if (resumable == null) {
      return parser.parse(SingleRequest.send(context, numRetries, method, uri, headers, body,
          media, uploadUri, progress));
    }
    JsonNode done = null;
    while (done == null) {
      done = resumable.next(numRetries);
    }
    return parser.parse(done);
  }

  /** Sends the next chunk of a resumable upload, with the client's retry policy. */
  public UploadChunk<T> nextChunk() throws IOException {
    return nextChunk(context.retryPolicy().maxRetries());
  }

  /**
   * Sends the next chunk (the first call starts the session). Progress counts the bytes the
   * server acknowledged. A request that is not a resumable upload completes in one chunk.
   */
  public UploadChunk<T> nextChunk(int numRetries) throws IOException {
    if (resumable == null) {
      return UploadChunk.done(execute(numRetries));
    }
    JsonNode done = resumable.next(numRetries);
    return done == null
        ? UploadChunk.inProgress(resumable.progress())
        : UploadChunk.done(parser.parse(done));
  }

  /** Where a resumable upload stands, once its session started: save it to resume later. */
  public Optional<ResumableSession> resumableSession() {
    return resumable == null ? Optional.empty() : Optional.ofNullable(resumable.session());
  }

  /** Progress of a resumable upload as the server acknowledged it. */
  public Optional<MediaUploadProgress> progress() {
    return resumable == null ? Optional.empty() : Optional.of(resumable.progress());
  }

  /** Cancels a resumable upload: the server forgets the session and its bytes. */
  public void cancel() throws IOException {
    if (resumable != null) {
      resumable.cancel();
    }
  }

  public String method() {
    return method;
  }

  public URI uri() {
    return uri;
  }

  /** Builds an {@link HttpRequest}. */
  public static final class Builder<T> {
    private final UploadContext context;
    private final String method;
    private final URI uri;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] body;
    private MediaUpload media;
    private URI uploadUri;
    private ResponseParser<T> parser;
    private ProgressListener progress;
    private Consumer<ResumableSession> sessionListener;
    private ResumableSession resumeFrom;

    Builder(UploadContext context, String method, URI uri, ResponseParser<T> parser) {
      this.context = context;
      this.method = Objects.requireNonNull(method, "method");
      this.uri = Objects.requireNonNull(uri, "uri");
      this.parser = parser;
    }

    /** The JSON body: a {@link JsonNode}, a map, a record or any Jackson-serializable value. */
    public Builder<T> body(Object value) {
      try {
        this.body = value == null ? null : context.json().writeValueAsBytes(value);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("body cannot be written as JSON: " + e.getMessage(), e);
      }
      return this;
    }

    /** Media to send, to {@code uploadUri} (the method's upload path, without uploadType). */
    public Builder<T> media(MediaUpload media, URI uploadUri) {
      this.media = Objects.requireNonNull(media, "media");
      this.uploadUri = Objects.requireNonNull(uploadUri, "uploadUri");
      return this;
    }

    public Builder<T> header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /** Told about bytes as they go out. */
    public Builder<T> progressListener(ProgressListener listener) {
      this.progress = listener;
      return this;
    }

    /** Told whenever a resumable session starts or advances: the place to save it. */
    public Builder<T> sessionListener(Consumer<ResumableSession> listener) {
      this.sessionListener = listener;
      return this;
    }

    /**
     * Continues a resumable upload saved by an earlier process instead of starting one. The
     * media must be the same source ({@link MediaUpload#fingerprint()}).
     */
    public Builder<T> resumeFrom(ResumableSession session) {
      this.resumeFrom = session;
      return this;
    }

    /** Responses bound to {@code type} by the client's JSON mapper. */
    public <R> Builder<R> as(Class<R> type) {
      return parser(json -> context.json().treeToValue(json, type));
    }

    public <R> Builder<R> parser(ResponseParser<R> p) {
      @SuppressWarnings("unchecked")
      Builder<R> self = (Builder<R>) this;
      self.parser = Objects.requireNonNull(p, "parser");
      return self;
    }

    /**
     * The request. With {@link #resumeFrom}, the media must match the saved session's
     * fingerprint, else {@link IllegalArgumentException}.
     */
    public HttpRequest<T> build() {
      if (resumeFrom != null && (media == null || !media.isResumable())) {
        throw new IllegalStateException("only a resumable upload can be resumed");
      }
      return new HttpRequest<>(this);
    }
  }
}
