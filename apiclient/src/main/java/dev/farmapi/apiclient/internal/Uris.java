package dev.farmapi.apiclient.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/** Small URI and header helpers of the protocol. */
public final class Uris {
  /** Query parameters whose values are credentials (Google's API key and access tokens). */
  private static final Set<String> SECRET_PARAMETERS = Set.of("key", "access_token", "oauth_token");

  private Uris() {}

  /** Whether the query of {@code uri} has a parameter {@code name} (names compared decoded). */
  public static boolean hasQueryParameter(URI uri, String name) {
    String query = uri.getRawQuery();
    if (query == null) {
      return false;
    }
    for (String pair : query.split("&")) {
      if (decodedName(pair).equals(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code uri} as text for messages and logs: the values of the {@code key},
   * {@code access_token} and {@code oauth_token} parameters (under any spelling of their names: percent-encoded, any
   * case) and any user info are replaced by {@code ***}, so an exception a caller prints never
   * carries a credential. Session URIs keep their {@code upload_id}: it is what a person needs to
   * find the upload, and what {@link dev.farmapi.apiclient.ResumableSession} saves anyway.
   */
  public static String display(URI uri) {
    if (uri == null || uri.isOpaque() || (uri.getRawQuery() == null && uri.getRawUserInfo() == null)) {
      return String.valueOf(uri);
    }
    StringBuilder s = new StringBuilder();
    if (uri.getScheme() != null) {
      s.append(uri.getScheme()).append(':');
    }
    if (uri.getRawAuthority() != null) {
      s.append("//");
      if (uri.getRawUserInfo() != null) {
        s.append("***@");
      }
      s.append(uri.getHost() != null ? hostAndPort(uri) : uri.getRawAuthority());
    }
    s.append(uri.getRawPath() == null ? "" : uri.getRawPath());
    if (uri.getRawQuery() != null) {
      s.append('?');
      String[] pairs = uri.getRawQuery().split("&", -1);
      for (int i = 0; i < pairs.length; i++) {
        String pair = pairs[i];
        int eq = pair.indexOf('=');
        boolean secret = SECRET_PARAMETERS.contains(decodedName(pair).toLowerCase(Locale.ROOT));
        s.append(i == 0 ? "" : "&").append(secret && eq >= 0 ? pair.substring(0, eq) + "=***" : pair);
      }
    }
    if (uri.getRawFragment() != null) {
      s.append('#').append(uri.getRawFragment());
    }
    return s.toString();
  }

  private static String hostAndPort(URI uri) {
    return uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
  }

  private static String decodedName(String pair) {
    int eq = pair.indexOf('=');
    String name = eq < 0 ? pair : pair.substring(0, eq);
    try {
      return URLDecoder.decode(name, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return name; // a malformed escape: compare the name as written
    }
  }

  /** {@code uri} with {@code name=value} added to its query. */
  public static URI withQuery(URI uri, String name, String value) {
    String pair = URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(value, StandardCharsets.UTF_8);
    String s = uri.toString();
    int hash = s.indexOf('#');
    String base = hash < 0 ? s : s.substring(0, hash);
    return URI.create(base + (uri.getRawQuery() == null ? "?" : "&") + pair);
  }

  /** The port of an http(s) URI, its scheme's default when it names none. */
  public static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /**
   * The number of bytes a 308's {@code Range} header acknowledges: {@code bytes=0-N} means N+1;
   * no header means none.
   */
  public static long rangeEnd(String range) throws java.net.ProtocolException {
    if (range == null || range.isBlank()) {
      return 0;
    }
    String value = range.trim();
    if (value.startsWith("bytes=")) {
      value = value.substring(6);
    }
    int dash = value.indexOf('-');
    try {
      if (dash < 0 || Long.parseLong(value.substring(0, dash).trim()) != 0) {
        throw new NumberFormatException();
      }
      long last = Long.parseLong(value.substring(dash + 1).trim());
      // bytes=0--5 would be a negative offset, bytes=0-(2^63-1) one that overflows.
      if (last < 0 || last == Long.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return last + 1;
    } catch (NumberFormatException e) {
      throw new java.net.ProtocolException("the server sent a malformed Range header: " + range);
    }
  }
}
