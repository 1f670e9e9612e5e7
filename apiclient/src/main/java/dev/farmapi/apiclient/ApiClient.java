package dev.farmapi.apiclient;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.farmapi.apiclient.internal.AuthorizingEngine;
import dev.farmapi.apiclient.internal.Http1Engine;
import dev.farmapi.apiclient.internal.HttpEngine;
import dev.farmapi.apiclient.internal.JdkEngine;
import dev.farmapi.apiclient.internal.Retrier;
import dev.farmapi.apiclient.internal.Transport;
import dev.farmapi.apiclient.internal.UploadContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * What the requests to one API share: the HTTP client, credentials, the retry policy and the
 * idle timeout. Immutable and thread-safe; make one and keep it.
 *
 * <pre>{@code
 * ApiClient client = ApiClient.builder().apiKey(key).build();
 * JsonNode pig = client.request("POST", URI.create("http://localhost:8080/farm/v1/animals"))
 *     .body(Map.of("name", "Pig"))
 *     .media(MediaFileUpload.of(Path.of("pig.png")), URI.create("http://localhost:8080/upload/farm/v1/animals"))
 *     .build()
 *     .execute();
 * }</pre>
 */
public final class ApiClient {
  private final UploadContext context;

  private ApiClient(UploadContext context) {
    this.context = context;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A client with every default and no credentials. */
  public static ApiClient create() {
    return builder().build();
  }

  /** Whether media bytes are also checked with MD5; see {@link Builder#verifyMd5}. */
  public boolean verifiesMd5() {
    return context.verifyMd5();
  }

  public RetryPolicy retryPolicy() {
    return context.retryPolicy();
  }

  /** The JSON mapper requests use for bodies and responses. */
  public ObjectMapper json() {
    return context.json();
  }

  /** Starts a request; its response is JSON unless {@link HttpRequest.Builder#as} says more. */
  public HttpRequest.Builder<JsonNode> request(String method, URI uri) {
    return new HttpRequest.Builder<>(context, method, uri, json -> json);
  }

  UploadContext context() {
    return context;
  }

  /** Builds an {@link ApiClient}. */
  public static final class Builder {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private Engine engine;
    private HttpClient httpClient;
    private SSLContext sslContext;
    private Duration idleTimeout = Duration.ofSeconds(60);
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Retrier.Sleeper sleeper = duration -> Thread.sleep(duration.toMillis());
    private RetryListener retryListener;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private AuthorizingEngine.ApiKey apiKey;
    private Credentials credentials;
    private ObjectMapper json;
    private boolean verifyMd5;

    private Builder() {
      headers.put("User-Agent", "farmapi-apiclient/0.1");
    }

    /**
     * An API key, sent as the {@code key} query parameter of every request, as Google's clients
     * send a developer key (Python's {@code build(..., developerKey=KEY)}); a URI that already
     * has a {@code key} keeps its own, and resumable session URIs ({@code upload_id}) go as the
     * server gave them. Google APIs and the Farm server both take it. The key is
     * added on the way to the socket, so the URIs in messages and logs never show it (a
     * {@code key} you put in a URI yourself is shown as {@code key=***}). An API key identifies
     * a project; for private data (Drive, YouTube uploads) use {@link #credentials}.
     *
     * @see #apiKeyHeader(String)
     */
    public Builder apiKey(String key) {
      this.apiKey = new AuthorizingEngine.ApiKey(checkedKey(key), false);
      return this;
    }

    /**
     * An API key, sent as the {@code X-Goog-Api-Key} header instead of in the URL (Google APIs
     * take both; the Farm server takes {@code ?key=} or its keys as {@link Credentials#bearer}).
     */
    public Builder apiKeyHeader(String key) {
      this.apiKey = new AuthorizingEngine.ApiKey(checkedKey(key), true);
      return this;
    }

    private static String checkedKey(String key) {
      Objects.requireNonNull(key, "key");
      if (key.isBlank() || key.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
        throw new IllegalArgumentException("an API key must be non-empty and on one line");
      }
      return key;
    }

    /**
     * Where every request gets its authorization headers, asked before each request and
     * refreshed once after a {@code 401} (see {@link Credentials}): an OAuth 2.0 access token
     * ({@link Credentials#bearer}), Google credentials through the {@code apiclient-google-auth}
     * module, or your own. Combines with {@link #apiKey}, as in Google's clients.
     */
    public Builder credentials(Credentials credentials) {
      this.credentials = credentials;
      return this;
    }

    /** A header sent with every request. */
    public Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /**
     * The HTTP engine; by default {@link Engine#HTTP1}, or what the system property
     * {@code farmapi.engine} names.
     */
    public Builder engine(Engine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /**
     * A JDK client of your own (for HTTP/2, a proxy, an executor): requests then go through
     * {@link Engine#JDK} with it. It must not follow redirects: a 308 means "resume incomplete".
     */
    public Builder httpClient(HttpClient client) {
      this.httpClient = client;
      return this.engine(Engine.JDK);
    }

    /**
     * The TLS set-up for https (e.g. trusting a private CA); by default the JDK's own, loaded
     * on the first https request.
     */
    public Builder sslContext(SSLContext context) {
      this.sslContext = context;
      return this;
    }

    /** How long a request may go without a byte moving before it fails (and is retried). */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = timeout;
      return this;
    }

    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Told before every retry of every request of this client. */
    public Builder retryListener(RetryListener listener) {
      this.retryListener = listener;
      return this;
    }

    public Builder json(ObjectMapper mapper) {
      this.json = mapper;
      return this;
    }

    /**
     * Whether uploads and downloads also compute the MD5 of every media byte and compare it with
     * the server's ({@code md5Hash}, {@code X-Goog-Hash: md5=}). Off by default: the CRC32C of
     * every byte is always computed and compared, and it detects the same corruption (it is what
     * Cloud Storage recommends for integrity checks, and what {@code gcloud storage} validates
     * with) at about 1/50 of MD5's CPU (a hardware instruction, tens of GB/s, against ~600 MB/s
     * for MD5). Turn it on when something downstream needs the MD5 itself, e.g. to compare with
     * an MD5 you keep. A download that {@linkplain MediaDownload#withExpectedMd5 expects an MD5},
     * or whose server sends an MD5 and no CRC32C, computes it either way. A mismatch of any
     * checksum compared is a
     * {@link ChecksumMismatchError}.
     */
    public Builder verifyMd5(boolean verify) {
      this.verifyMd5 = verify;
      return this;
    }

    public ApiClient build() {
      HttpClient custom = httpClient;
      SSLContext ssl = sslContext;
      HttpEngine jdk = new JdkEngine(() -> custom != null ? custom : JdkEngine.defaultClient(ssl));
      HttpEngine chosen = (engine != null ? engine : Engine.fromSystemProperty()) == Engine.JDK
          ? jdk
          : new Http1Engine(ssl, CONNECT_TIMEOUT, () -> jdk);
      ObjectMapper mapper = json != null ? json : JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();
      HttpEngine authorized = AuthorizingEngine.wrap(chosen, apiKey, credentials);
      return new ApiClient(new UploadContext(new Transport(authorized, idleTimeout, headers),
          retryPolicy, sleeper, retryListener, credentials, mapper, verifyMd5));
    }
  }
}
