package dev.farmapi.server.http;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.CrossOriginHandler;

/**
 * CORS for the web pages of other origins ({@code farm serve --cors-origin ORIGIN}): Jetty's
 * {@link CrossOriginHandler} set up for the media upload protocol. Without it, a script of another
 * origin could not send {@code Authorization} or {@code Content-Range}, and could not read the
 * {@code Range} of a 308 or the {@code Location} of a new session: Range would read as null and
 * every upload would restart from byte 0.
 */
public final class CrossOrigin {
  /** Request headers the protocol's clients send; browsers ask for them in a preflight. */
  static final Set<String> ALLOWED_HEADERS = Set.of("Authorization", "Content-Type",
      "Content-Range", "Content-Encoding", "X-Upload-Content-Type", "X-Upload-Content-Length",
      "X-GUploader-No-308", "Range", "If-Range", UploadRoutes.IDEMPOTENCY_KEY,
      FaultInjectionHandler.RETRY_TEST_HEADER);

  /** Response headers scripts must be able to read; the CORS-safelisted ones need not be named. */
  static final Set<String> EXPOSED_HEADERS = Set.of("Range", "Location", "X-Goog-Hash", "ETag",
      "Content-Range", "Accept-Ranges", "X-Http-Status-Code-Override", "WWW-Authenticate");

  private CrossOrigin() {}

  /**
   * Wraps {@code next} so that pages of {@code origins} (exact origins, or {@code *} for any) may
   * call it; no origins, no wrapper: same-origin only, the browser's default.
   */
  public static Handler wrap(List<String> origins, Handler next) {
    if (origins.isEmpty()) {
      return next;
    }
    CrossOriginHandler cors = new CrossOriginHandler();
    cors.setAllowedOriginPatterns(origins.stream()
        .map(o -> o.equals("*") ? o : Pattern.quote(o))
        .collect(Collectors.toSet()));
    // Keys travel in Authorization, set by the script: there are no cookies to protect, and
    // with credentials allowed a page of the origin would also get any ambient HTTP auth.
    cors.setAllowCredentials(false);
    cors.setAllowedMethods(Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"));
    cors.setAllowedHeaders(ALLOWED_HEADERS);
    cors.setExposedHeaders(EXPOSED_HEADERS);
    cors.setPreflightMaxAge(Duration.ofMinutes(10));
    cors.setHandler(next);
    return cors;
  }
}
