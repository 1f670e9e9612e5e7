package dev.farmapi.apiclient.discovery;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;

/**
 * A method's {@code mediaUpload.maxSize}, read as the Python client's
 * {@code _media_size_to_long}: a number followed by {@code KB}, {@code MB}, {@code GB} or
 * {@code TB} (binary units, any case), else a plain integer. Its quirks are kept on purpose,
 * since documents are written against that client: text shorter than two characters is 0, and
 * 0 or a negative size means no limit.
 */
final class MediaSize {
  private static final Map<String, Integer> SHIFTS = Map.of("KB", 10, "MB", 20, "GB", 30, "TB", 40);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);

  private MediaSize() {}

  /**
   * The limit in bytes; 0 or less means none. Sizes past {@code Long.MAX_VALUE} are clamped to
   * it: no media is that large anyway.
   *
   * @throws IllegalArgumentException where Python raises {@code ValueError} ("1.5KB", "1K", "KB")
   */
  static long parse(String maxSize) {
    int length = maxSize.codePointCount(0, maxSize.length());
    if (length < 2) {
      return 0;
    }
    int unitsStart = maxSize.offsetByCodePoints(maxSize.length(), -2);
    Integer shift = SHIFTS.get(maxSize.substring(unitsStart).toUpperCase(Locale.ROOT));
    try {
      BigInteger bytes = shift != null
          ? PythonNumbers.parseInt(maxSize.substring(0, unitsStart)).shiftLeft(shift)
          : PythonNumbers.parseInt(maxSize);
      return bytes.max(LONG_MIN).min(LONG_MAX).longValueExact();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("maxSize \"" + maxSize
          + "\" is not a whole number, optionally followed by KB, MB, GB or TB", e);
    }
  }
}
