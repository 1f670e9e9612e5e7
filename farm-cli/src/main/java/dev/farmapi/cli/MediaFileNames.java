package dev.farmapi.cli;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** A file name for a downloaded picture: the animal's id and an extension from its media type. */
final class MediaFileNames {
  private static final Map<String, String> EXTENSIONS = Map.ofEntries(
      Map.entry("image/png", "png"), Map.entry("image/jpeg", "jpg"), Map.entry("image/gif", "gif"),
      Map.entry("image/webp", "webp"), Map.entry("image/svg+xml", "svg"),
      Map.entry("image/bmp", "bmp"), Map.entry("image/tiff", "tif"),
      Map.entry("video/mp4", "mp4"), Map.entry("video/quicktime", "mov"),
      Map.entry("video/webm", "webm"), Map.entry("audio/mpeg", "mp3"),
      Map.entry("audio/wav", "wav"), Map.entry("text/plain", "txt"), Map.entry("text/csv", "csv"),
      Map.entry("text/html", "html"), Map.entry("application/json", "json"),
      Map.entry("application/pdf", "pdf"), Map.entry("application/zip", "zip"),
      Map.entry("application/gzip", "gz"), Map.entry("application/octet-stream", "bin"));
  /** A subtype that reads as an extension by itself: image/avif, image/heic. */
  private static final Pattern PLAIN_SUBTYPE = Pattern.compile("[a-z0-9]{2,5}");

  private MediaFileNames() {}

  /**
   * {@code ID.png} for an image/png; just {@code ID} for a type without a known extension. Only
   * id characters (letters, digits, '-' and '_') are kept: the name never leaves the folder.
   */
  static String of(String id, String contentType) {
    String base = id.replaceAll("[^A-Za-z0-9_-]", "_");
    String extension = extension(contentType);
    return extension == null ? base : base + "." + extension;
  }

  static String extension(String contentType) {
    if (contentType == null) {
      return null;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    String known = EXTENSIONS.get(type);
    if (known != null) {
      return known;
    }
    int slash = type.indexOf('/');
    String subtype = slash < 0 ? "" : type.substring(slash + 1);
    return PLAIN_SUBTYPE.matcher(subtype).matches() ? subtype : null;
  }
}
