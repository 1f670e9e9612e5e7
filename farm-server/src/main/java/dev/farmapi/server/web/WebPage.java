package dev.farmapi.server.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The Farm's web page: {@code /} and its files under {@code /web/}, served from this package's
 * resources in the jar. Everything else goes on to the next handler (the API). The page is
 * static; all it knows comes from the API, called by its scripts with the key the user gives.
 *
 * <p>The page's headers make it hard to turn against its user: a Content-Security-Policy that
 * allows only the page's own scripts (no inline script, no eval) and requests to its own origin,
 * no framing, no referrer, no type sniffing.
 */
public final class WebPage extends Handler.Abstract {
  private static final String RESOURCES = "/dev/farmapi/server/web/";
  private static final Pattern FILE = Pattern.compile("/web/([a-z0-9][a-z0-9-]*\\.(js|css|svg))");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml");
  /**
   * {@code blob:} images are pictures the script fetched with the key in a header: an
   * {@code <img src>} pointing at the API would need the key in its URL, where logs keep it.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self';"
      + " style-src 'self'; img-src 'self' blob:; connect-src 'self'; form-action 'none';"
      + " base-uri 'none'; frame-ancestors 'none'";

  private final Map<String, Optional<Resource>> cache = new ConcurrentHashMap<>();

  private record Resource(byte[] bytes, String type, String etag) {}

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    String name;
    if (path.equals("/") || path.equals("/index.html")) {
      name = "index.html";
    } else {
      Matcher m = FILE.matcher(path);
      if (!m.matches()) {
        return false;
      }
      name = m.group(1);
    }
    String method = request.getMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return false; // the API's handler answers with its JSON 405/404
    }
    Optional<Resource> resource = cache.computeIfAbsent(name, WebPage::load);
    if (resource.isEmpty()) {
      return false;
    }
    send(request, response, callback, resource.get(), method.equals("HEAD"));
    return true;
  }

  private static void send(Request request, Response response, Callback callback, Resource r,
      boolean head) {
    var headers = response.getHeaders();
    headers.put(HttpHeader.CONTENT_TYPE, r.type());
    headers.put(HttpHeader.ETAG, r.etag());
    headers.put(HttpHeader.CACHE_CONTROL, "no-cache"); // revalidate: a new jar, a new page
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Referrer-Policy", "no-referrer");
    if (r.type().startsWith("text/html")) {
      headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      headers.put("X-Frame-Options", "DENY");
      headers.put("Cross-Origin-Opener-Policy", "same-origin");
    }
    String match = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
    if (match != null && match.contains(r.etag())) {
      response.setStatus(304);
      response.write(true, null, callback);
      return;
    }
    response.setStatus(200);
    headers.put(HttpHeader.CONTENT_LENGTH, (long) r.bytes().length);
    response.write(true, head ? null : ByteBuffer.wrap(r.bytes()), callback);
  }

  private static Optional<Resource> load(String name) {
    try (InputStream in = WebPage.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
      return Optional.of(new Resource(bytes, type, etag(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22)
          + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
