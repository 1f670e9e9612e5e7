package dev.farmapi.apiclient.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Guesses a media type from a file name, as the Python client does with {@code mimetypes}. */
final class MimeTypes {
  static final String OCTET_STREAM = "application/octet-stream";

  // The JDK's probe depends on the platform's tables; these common ones must not.
  private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
      Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
      Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"),
      Map.entry("webp", "image/webp"), Map.entry("svg", "image/svg+xml"),
      Map.entry("bmp", "image/bmp"), Map.entry("tif", "image/tiff"), Map.entry("tiff", "image/tiff"),
      Map.entry("mp4", "video/mp4"), Map.entry("mov", "video/quicktime"),
      Map.entry("webm", "video/webm"), Map.entry("mp3", "audio/mpeg"), Map.entry("wav", "audio/wav"),
      Map.entry("txt", "text/plain"), Map.entry("csv", "text/csv"), Map.entry("html", "text/html"),
      Map.entry("json", "application/json"), Map.entry("pdf", "application/pdf"),
      Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"));

  private MimeTypes() {}

  static String guess(Path path) {
    String name = path.getFileName() == null ? "" : path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    if (dot >= 0) {
      String known = BY_EXTENSION.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
      if (known != null) {
        return known;
      }
    }
    try {
      String probed = Files.probeContentType(path);
      return probed != null ? probed : OCTET_STREAM;
    } catch (IOException e) {
      return OCTET_STREAM;
    }
  }
}
