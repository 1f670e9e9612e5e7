package dev.farmapi.apiclient.internal;

import dev.farmapi.apiclient.Credentials;
import dev.farmapi.apiclient.CredentialsException;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Authorizes every request on its way to the engine: the client's API key (as the {@code key}
 * query parameter, as Google's clients send a developer key, or as {@code X-Goog-Api-Key}) and
 * the headers of its {@link Credentials}, asked for each request. Auth as a decorator of the
 * engine: the uploaders and downloaders never see a key or a token, so none of their URIs,
 * messages or log lines can carry one; what to do after a 401 is the {@link Retrier}'s call.
 */
public final class AuthorizingEngine implements HttpEngine {
  /** Google's header for an API key, the alternative to {@code ?key=}. */
  public static final String API_KEY_HEADER = "X-Goog-Api-Key";

  private final HttpEngine next;
  private final ApiKey apiKey; // null: none
  private final Credentials credentials; // null: none

  /** An API key and where it goes. */
  public record ApiKey(String value, boolean inHeader) {}

  public AuthorizingEngine(HttpEngine next, ApiKey apiKey, Credentials credentials) {
    this.next = next;
    this.apiKey = apiKey;
    this.credentials = credentials;
  }

  /** {@code engine} itself when there is nothing to add. */
  public static HttpEngine wrap(HttpEngine engine, ApiKey apiKey, Credentials credentials) {
    return apiKey == null && credentials == null
        ? engine : new AuthorizingEngine(engine, apiKey, credentials);
  }

  @Override
  public Response execute(Request r) throws IOException {
    URI uri = r.uri();
    Map<String, String> headers = new LinkedHashMap<>(r.headers());
    if (apiKey != null) {
      if (apiKey.inHeader()) {
        put(headers, API_KEY_HEADER, apiKey.value());
      } else if (!Uris.hasQueryParameter(uri, "key") // a key the caller chose wins
          && !Uris.hasQueryParameter(uri, "upload_id")) {
        // A session URI is a capability and goes as the server gave it, as Python's client
        // sends it: the key went with the request that started the session.
        uri = Uris.withQuery(uri, "key", apiKey.value());
      }
    }
    if (credentials != null) {
      credentialHeaders(r.uri()).forEach((name, value) -> put(headers, name, value));
    }
    return next.execute(new Request(r.method(), uri, headers, r.body(), r.idleTimeout()));
  }

  private Map<String, String> credentialHeaders(URI uri) throws CredentialsException {
    try {
      return credentials.headers(uri);
    } catch (CredentialsException e) {
      throw e;
    } catch (IOException e) {
      // Said as the credentials' failure, never mistaken for the API server being unreachable.
      throw new CredentialsException("the credentials could not authorize the request: "
          + e.getMessage(), e, true);
    }
  }

  /** Sets a header, replacing one of the same name in any case. */
  private static void put(Map<String, String> headers, String name, String value) {
    headers.keySet().removeIf(name::equalsIgnoreCase);
    headers.put(name, value);
  }
}
