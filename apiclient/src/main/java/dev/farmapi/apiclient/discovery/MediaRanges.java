package dev.farmapi.apiclient.discovery;

import java.util.List;

/**
 * The accept check the Python client makes on a media file ({@code mimeparse.best_match} of the
 * file's type against {@code mediaUpload.accept} joined by commas): a type is accepted when some
 * range matches its type and subtype, either side's {@code *} matching anything. Parameters and
 * q-values never decide (mimeparse turns q=0 into q=1), so they are ignored. An empty or missing
 * {@code accept} accepts nothing. One deviation: names compare ASCII case-insensitively, as media
 * types do (RFC 6838) and as the Farm server does, where mimeparse compares them exactly.
 */
final class MediaRanges {
  private MediaRanges() {}

  /** Whether {@code mimeType} is accepted by the ranges of {@code accept}. */
  static boolean accepts(List<String> accept, String mimeType) {
    String[] target = typeAndSubtype(mimeType);
    for (String range : String.join(",", accept).split(",")) {
      if (range.isBlank()) {
        continue;
      }
      String[] r = typeAndSubtype(range);
      if (matches(r[0], target[0]) && matches(r[1], target[1])) {
        return true;
      }
    }
    return false;
  }

  /** Fails as mimeparse would on a range without exactly one slash. */
  static void check(String range) {
    for (String part : range.split(",")) {
      if (!part.isBlank()) {
        typeAndSubtype(part);
      }
    }
  }

  private static boolean matches(String range, String target) {
    return range.equals("*") || target.equals("*") || range.equalsIgnoreCase(target);
  }

  private static String[] typeAndSubtype(String mediaType) {
    String full = PythonNumbers.strip(mediaType.split(";", -1)[0]);
    if (full.equals("*")) {
      full = "*/*"; // mimeparse's leniency for Java's URLConnection
    }
    String[] parts = full.split("/", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("\"" + mediaType + "\" is not a media type (type/subtype)");
    }
    return new String[] {PythonNumbers.strip(parts[0]), PythonNumbers.strip(parts[1])};
  }
}
