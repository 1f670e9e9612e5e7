package dev.farmapi.apiclient.google;

import com.google.auth.Retryable;
import com.google.auth.oauth2.GoogleCredentials;
import dev.farmapi.apiclient.Credentials;
import dev.farmapi.apiclient.CredentialsException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Google's credentials (google-auth-library-java) as apiclient {@link Credentials}: service
 * accounts, user credentials from {@code gcloud auth application-default login}, workload
 * identity, Compute Engine: whatever {@link com.google.auth.Credentials} gives request headers.
 *
 * <pre>{@code
 * ApiClient client = ApiClient.builder()
 *     .credentials(GoogleAuth.applicationDefault("https://www.googleapis.com/auth/drive.file"))
 *     .build();
 * Service drive = Discovery.build(
 *     URI.create("https://www.googleapis.com/discovery/v1/apis/drive/v3/rest"), client);
 * }</pre>
 *
 * <p>google-auth keeps the access token and renews it on its own a few minutes before it
 * expires (asked before every request of an upload, so a long upload never sends an expired
 * token); after a {@code 401} the client calls {@link #refresh()}, which gets a new token at once.
 * A token endpoint that refuses the grant ({@code invalid_grant}: a deleted service-account key,
 * a revoked refresh token) is a {@link CredentialsException} that is not retried; one that does
 * not answer is retried as the library retries a dropped connection.
 */
public final class GoogleAuth implements Credentials {
  private final com.google.auth.Credentials credentials;

  private GoogleAuth(com.google.auth.Credentials credentials) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
  }

  /** Adapts any google-auth credentials. */
  public static GoogleAuth of(com.google.auth.Credentials credentials) {
    return new GoogleAuth(credentials);
  }

  /**
   * Application Default Credentials, as every Google client finds them: the JSON file that
   * {@code GOOGLE_APPLICATION_CREDENTIALS} names, else the one {@code gcloud auth
   * application-default login} wrote, else the environment's (Compute Engine, Cloud Run, ...).
   * The scopes apply where the credentials need them (service accounts).
   *
   * @throws IOException when none are found or the file is not valid
   */
  public static GoogleAuth applicationDefault(String... scopes) throws IOException {
    return new GoogleAuth(scoped(GoogleCredentials.getApplicationDefault(), scopes));
  }

  /**
   * The credentials of a JSON file: a service-account key ({@code "type": "service_account"})
   * or authorized-user credentials. The token endpoint is the file's {@code token_uri}.
   * Only load files you trust: a credentials file names the endpoints the library will call
   * and send secrets to.
   */
  public static GoogleAuth fromJson(Path file, String... scopes) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new GoogleAuth(scoped(GoogleCredentials.fromStream(in), scopes));
    }
  }

  private static GoogleCredentials scoped(GoogleCredentials credentials, String... scopes) {
    return scopes.length > 0 && credentials.createScopedRequired()
        ? credentials.createScoped(scopes) : credentials;
  }

  /** The google-auth credentials this adapts. */
  public com.google.auth.Credentials delegate() {
    return credentials;
  }

  /** google-auth's request metadata (usually {@code Authorization: Bearer <token>}). */
  @Override
  public Map<String, String> headers(URI uri) throws IOException {
    Map<String, List<String>> metadata;
    try {
      metadata = credentials.getRequestMetadata(uri);
    } catch (IOException e) {
      throw failure(e);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (metadata != null) {
      metadata.forEach((name, values) -> headers.put(name, String.join(", ", values)));
    }
    return headers;
  }

  /** Gets a new token now; false for credentials that cannot (a fixed access token). */
  @Override
  public boolean refresh() throws IOException {
    try {
      credentials.refresh();
      return true;
    } catch (IOException e) {
      throw failure(e);
    } catch (IllegalStateException | UnsupportedOperationException e) {
      return false; // OAuth2Credentials made from a bare token cannot refresh
    }
  }

  /**
   * google-auth says whether a token endpoint's failure is worth retrying (its exceptions are
   * {@link Retryable}: a 5xx or a broken connection is, {@code invalid_grant} is not); any other
   * I/O failure is taken as transient.
   */
  private static CredentialsException failure(IOException e) {
    boolean retryable = !(e instanceof Retryable r) || r.isRetryable();
    return new CredentialsException("Google credentials: " + e.getMessage(), e, retryable);
  }

  @Override
  public String toString() {
    return "GoogleAuth{" + credentials.getClass().getSimpleName() + "}"; // never a token
  }
}
