package dev.farmapi.farm;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.Credentials;
import java.net.URI;
import java.util.Objects;

/**
 * The Farm API, typed: animals with pictures.
 *
 * <pre>{@code
 * Farm farm = Farm.connect(URI.create("http://localhost:8080/"), apiKey);
 * Animal pig = farm.animals().insert(new Animal("Pig"), Path.of("pig.png")).execute();
 * }</pre>
 *
 * <p>Everything below is {@code apiclient}: requests are {@link dev.farmapi.apiclient.HttpRequest}s
 * with {@code execute()} and {@code nextChunk()}, media are {@link dev.farmapi.apiclient.media.MediaUpload}s.
 */
public final class Farm {
  private final ApiClient client;
  private final URI root;

  private Farm(ApiClient client, URI root) {
    this.client = client;
    this.root = root.toString().endsWith("/") ? root : URI.create(root + "/");
  }

  /**
   * A client of the server at {@code root} (e.g. {@code http://localhost:8080/}) with a key. The
   * key goes as {@code Authorization: Bearer KEY} (the server also takes {@code ?key=}, which
   * {@link ApiClient.Builder#apiKey} sends): in a header it stays out of URLs, and so out of
   * proxies' and servers' access logs.
   */
  public static Farm connect(URI root, String apiKey) {
    return connect(root, clientBuilder().credentials(Credentials.bearer(apiKey)).build());
  }

  /** A client over a configured {@link ApiClient}; build it from {@link #clientBuilder()}. */
  public static Farm connect(URI root, ApiClient client) {
    return new Farm(Objects.requireNonNull(client, "client"), Objects.requireNonNull(root, "root"));
  }

  /**
   * An {@link ApiClient} builder whose JSON mapper reads Farm resources (times as
   * {@link java.time.Instant}); add the key ({@code .credentials(Credentials.bearer(key))} as
   * {@link #connect(URI, String)} does, or {@code .apiKey(key)}), retry policy or timeouts.
   */
  public static ApiClient.Builder clientBuilder() {
    return ApiClient.builder().json(JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build());
  }

  public Animals animals() {
    return new Animals(client, root);
  }

  /** The root URL of the server. */
  public URI root() {
    return root;
  }

  public ApiClient client() {
    return client;
  }
}
