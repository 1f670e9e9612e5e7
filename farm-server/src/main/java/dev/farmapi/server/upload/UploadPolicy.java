package dev.farmapi.server.upload;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The server's upload limits: the largest media accepted, the accepted media types (patterns such
 * as {@code image/*} or {@code *}{@code /*}) and how long a resumable session lives.
 */
public record UploadPolicy(long maxSize, List<String> accept, Duration sessionTtl) {
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  public UploadPolicy {
    if (maxSize <= 0) {
      throw new IllegalArgumentException("maxSize must be positive");
    }
    accept = List.copyOf(accept);
    if (accept.isEmpty()) {
      throw new IllegalArgumentException("accept must name at least one media type pattern");
    }
    for (String pattern : accept) {
      baseType(pattern);
    }
    if (sessionTtl.isNegative() || sessionTtl.isZero()) {
      throw new IllegalArgumentException("sessionTtl must be positive");
    }
  }

  /** Throws 413 when {@code size} bytes exceed the maximum. */
  void checkSize(long size) {
    if (size > maxSize) {
      throw UploadException.tooLarge("media of " + size
          + " bytes exceeds this server's maximum of " + maxSize + " bytes");
    }
  }

  /** Throws 400 for a malformed media type and 415 for one the server does not accept. */
  void checkType(String contentType) {
    String type;
    try {
      type = baseType(contentType);
    } catch (IllegalArgumentException e) {
      throw UploadException.invalid("invalidMediaType", "media type '" + excerpt(contentType)
          + "' is malformed; expected type/subtype of printable ASCII such as image/png");
    }
    for (String pattern : accept) {
      if (matches(baseType(pattern), type)) {
        return;
      }
    }
    throw new UploadException(UploadException.Kind.UNSUPPORTED_TYPE, "unsupportedMediaType",
        "media type " + type + " is not accepted; this server accepts " + String.join(", ", accept));
  }

  private static boolean matches(String pattern, String type) {
    if (pattern.equals("*/*") || pattern.equals(type)) {
      return true;
    }
    return pattern.endsWith("/*")
        && type.startsWith(pattern.substring(0, pattern.length() - 1));
  }

  /** {@code type/subtype} in lower case, without parameters. */
  static String baseType(String mediaType) {
    if (mediaType == null) {
      throw new IllegalArgumentException("no media type");
    }
    // The type is stored and sent back in the download's Content-Type header: printable ASCII
    // only (tab aside), anywhere in it. String.trim() alone let "image/png\u0001" through.
    for (int i = 0; i < mediaType.length(); i++) {
      char c = mediaType.charAt(i);
      if ((c < 0x20 && c != '\t') || c > 0x7e) {
        throw new IllegalArgumentException("control or non-ASCII character in media type");
      }
    }
    int semicolon = mediaType.indexOf(';');
    String base = (semicolon < 0 ? mediaType : mediaType.substring(0, semicolon)).strip();
    int slash = base.indexOf('/');
    if (slash < 0
        || !TOKEN.matcher(base.substring(0, slash)).matches()
        || !TOKEN.matcher(base.substring(slash + 1)).matches()) {
      throw new IllegalArgumentException("malformed media type: " + mediaType);
    }
    return base.toLowerCase(Locale.ROOT);
  }

  /** Client text quoted in a message: a header's worth would make it huge. */
  private static String excerpt(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "...";
  }
}
