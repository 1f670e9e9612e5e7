package dev.farmapi.apiclient.discovery;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A call's URLs, built as the Python client builds them: the method URL is
 * {@code baseUrl + expanded path + query}, the media upload URL the plain string
 * {@code rootUrl + "upload/" + servicePath + expanded path + query}.
 */
final class Urls {
  private Urls() {}

  /** Python's {@code urljoin(rootUrl, servicePath)}. */
  static String baseUrl(String rootUrl, String servicePath) {
    if (servicePath.isEmpty()) {
      return rootUrl;
    }
    URI root = URI.create(rootUrl);
    // The JDK resolves against an empty path as if it were no path at all ("http://hfarm/").
    if (root.getRawPath() == null || root.getRawPath().isEmpty()) {
      root = URI.create(rootUrl + "/");
    }
    return root.resolve(servicePath).toString();
  }

  /** Python's {@code _urljoin}: exactly one slash between base and url, unless url is absolute. */
  static String join(String base, String url) {
    if (url.startsWith("http://") || url.startsWith("https://")) {
      return url;
    }
    return (base.endsWith("/") ? base : base + "/") + (url.startsWith("/") ? url.substring(1) : url);
  }

  /** The method URL; {@code alt} is added (or replaces the caller's) unless null. */
  static URI method(ServiceSpec service, MethodSpec method, Arguments args, String alt) {
    String path = method.path().expand(args.path());
    checkSegments(path, method);
    return URI.create(join(service.baseUrl(), path + query(args.query(), alt, false)));
  }

  /** The media upload URL, without {@code uploadType}: the request adds it. */
  static URI mediaUpload(MethodSpec method, Arguments args, String alt) {
    String url = method.mediaUpload().path().expand(args.path());
    checkSegments(method.path().expand(args.path()), method);
    return URI.create(url + query(args.query(), alt, true));
  }

  /**
   * Python's {@code urlencode}, with {@code alt} put where the caller had it or at the end, as
   * {@code dict.update} does. Unlike Python, no lone "?" when there is nothing to send.
   */
  static String query(Map<String, List<String>> params, String alt, boolean forUpload) {
    Map<String, List<String>> all = new LinkedHashMap<>(params);
    if (alt != null) {
      all.put("alt", List.of(alt));
    }
    if (forUpload) {
      all.remove("uploadType"); // the request sets it; Python replaces it likewise
    }
    List<String> pairs = new ArrayList<>();
    all.forEach((name, values) -> values.forEach(
        v -> pairs.add(Encoding.quotePlus(name) + "=" + Encoding.quotePlus(v))));
    return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
  }

  /**
   * Refuses a value that expanded to a whole "." or ".." segment. Python sends
   * {@code animals/..} as is, and whoever normalizes the path on the way turns a call on one
   * animal into a call on the collection; percent-encoding would not help, as "%2E%2E" is the same
   * segment to RFC 3986.
   */
  private static void checkSegments(String path, MethodSpec method) {
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(method.id() + ": a path parameter expanded to the"
            + " segment \"" + segment + "\" in " + path + ", which would change the path");
      }
    }
  }
}
