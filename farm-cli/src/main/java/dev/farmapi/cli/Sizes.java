package dev.farmapi.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.TypeConversionException;

/** Human sizes ({@code 256K}, {@code 8M}, {@code 1G}: binary units) and durations ({@code 7d}). */
final class Sizes {
  private static final Pattern SIZE =
      Pattern.compile("(\\d{1,19})\\s*(?:([KMGT])(?:I?B)?|B)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern DURATION =
      Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);
  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private Sizes() {}

  static Long parseBytes(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new TypeConversionException("'" + text + "' is not a size; use bytes or a number"
          + " with K, M, G or T (binary units), e.g. 256K, 8M, 1G");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' is too large");
    }
    int shift = m.group(2) == null ? 0 : 10 * ("KMGT".indexOf(m.group(2).toUpperCase(Locale.ROOT)) + 1);
    if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
      throw new TypeConversionException("'" + text + "' is too large");
    }
    return n << shift;
  }

  /**
   * A byte count as people read it: {@code 512 B}, {@code 12.5 MiB}, {@code 1.0 GiB}; one decimal
   * below 100 of the unit, none above, rounded half up. In integers, not {@code String.format}:
   * a batch prints a line per file, and a short-lived JVM parses a format string slowly (a
   * regular expression in JDK 17's {@code Formatter}: ~13% of {@code farm download} of 2000
   * small files). Same text as {@code %.1f}/{@code %.0f} of the quotient (SizesTest).
   */
  static String format(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    int unit = 0;
    long unitBytes = 1024;
    while (unit < UNITS.length - 1 && bytes / unitBytes >= 1024) {
      unitBytes <<= 10;
      unit++;
    }
    long whole = bytes / unitBytes;
    long rest = bytes % unitBytes;
    if (whole >= 100) {
      return (rest >= unitBytes / 2 ? whole + 1 : whole) + " " + UNITS[unit];
    }
    // rest * 10 / unitBytes rounded half up, as rest * 5 / (unitBytes / 2): rest < 2^60 even in
    // EiB, so rest * 5 fits a long where rest * 10 would not
    long tenths = whole * 10 + (rest * 5 + unitBytes / 4) / (unitBytes / 2);
    return tenths / 10 + "." + tenths % 10 + " " + UNITS[unit];
  }

  static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      try {
        return Duration.parse(text); // ISO-8601, e.g. PT1H30M
      } catch (RuntimeException e) {
        throw new TypeConversionException("'" + text + "' is not a duration; use e.g. 30s, 15m,"
            + " 12h, 7d or ISO-8601 (PT1H)");
      }
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
