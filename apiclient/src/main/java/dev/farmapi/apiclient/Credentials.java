package dev.farmapi.apiclient;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * Where a client's requests get their credentials: the headers to add to each request, and a
 * way to get fresh ones when the server refuses them. The client asks for {@link #headers} before
 * every request it sends (every attempt, every chunk, every status query), and after a
 * {@code 401} it calls {@link #refresh} once and, if that says the headers changed, sends the
 * request again at once with the new ones; a second {@code 401} is the caller's
 * {@link HttpError}. What a resend means is the uploader's business: a simple or multipart
 * upload is sent again whole, a resumable upload asks the server where it stands and goes on
 * from there.
 *
 * <p>This is the shape of google-auth-library's {@code Credentials.getRequestMetadata(URI)}
 * and {@code refresh()}: the module {@code apiclient-google-auth} adapts those (service
 * accounts, user credentials, Application Default Credentials). A token that expires during a
 * long upload is best renewed by {@code headers} itself shortly before it expires, as
 * google-auth does; {@code refresh} is for the token the server stopped accepting anyway.
 *
 * <pre>{@code
 * ApiClient client = ApiClient.builder()
 *     .credentials(Credentials.bearer(System.getenv("ACCESS_TOKEN")))
 *     .build();
 * }</pre>
 *
 * <p>Implementations must be thread-safe: one client serves many threads. The library never
 * logs the headers nor puts them in messages.
 */
public interface Credentials {

  /**
   * The headers that authorize a request to {@code uri}, e.g.
   * {@code Authorization: Bearer <token>}; they replace headers of the same names. Called before
   * every request, so it should answer from a cache while its token is fresh.
   *
   * @throws CredentialsException when no headers can be had; its
   *     {@link CredentialsException#isRetryable()} says whether trying later may help. Any other
   *     {@link IOException} counts as a transient failure (a token endpoint that did not
   *     answer) and is retried like a dropped connection.
   */
  Map<String, String> headers(URI uri) throws IOException;

  /**
   * Called once after the server answered {@code 401} to headers from {@link #headers}: get new
   * ones (e.g. a new access token). Returns whether they may differ now, so that sending the
   * request again can help; the default, for credentials that cannot renew themselves, is
   * {@code false}, and the {@code 401} is thrown.
   *
   * @throws IOException as {@link #headers} does
   */
  default boolean refresh() throws IOException {
    return false;
  }

  /**
   * Sends {@code Authorization: Bearer <token>}: an OAuth 2.0 access token you got elsewhere
   * (e.g. {@code gcloud auth print-access-token}), or a Farm API key, which the Farm server
   * accepts this way. It cannot be refreshed: a {@code 401} is final.
   *
   * @throws IllegalArgumentException when the token is empty or has line breaks
   */
  static Credentials bearer(String token) {
    Objects.requireNonNull(token, "token");
    if (token.isBlank() || token.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
      throw new IllegalArgumentException("a bearer token must be non-empty and on one line");
    }
    Map<String, String> headers = Map.of("Authorization", "Bearer " + token);
    return new Credentials() {
      @Override
      public Map<String, String> headers(URI uri) {
        return headers;
      }

      @Override
      public String toString() {
        return "Credentials.bearer(***)"; // never the token, whoever prints this
      }
    };
  }
}
