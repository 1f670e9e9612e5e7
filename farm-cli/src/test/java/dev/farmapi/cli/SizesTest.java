package dev.farmapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Sizes#format} says what {@code String.format} of the quotient says, without it: for
 * every count a double holds exactly (below 2^53 bytes, 8 PiB), where the old formatting was
 * exact too. Above, ours still rounds the exact count.
 */
class SizesTest {
  private static final long EXACT = 1L << 53;

  /** The formatting it replaces: {@code %.1f} below 100 of the unit, {@code %.0f} above. */
  private static String reference(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, value >= 100 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  }

  @Test
  void everyCountUpToTenKibibytesAndAroundEachUnitsRoundingEdges() {
    for (long b = 0; b <= 10 * 1024; b++) {
      assertThat(Sizes.format(b)).as("%d", b).isEqualTo(reference(b));
    }
    for (int shift = 10; shift <= 60; shift += 10) {
      long unit = 1L << shift;
      // whole units, the 0.05 and 0.5 boundaries, 99.95, 100, 1023.5, next unit
      for (double at : new double[] {1, 1.05, 1.25, 1.5, 9.95, 99.95, 100, 100.5, 1023.5, 1024}) {
        long center = (long) (at * unit);
        for (long d = -3; d <= 3; d++) {
          long b = center + d;
          if (b > 0 && b <= EXACT) {
            assertThat(Sizes.format(b)).as("%d", b).isEqualTo(reference(b));
          }
        }
      }
    }
    assertThat(Sizes.format(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
    assertThat(Sizes.format((long) (9.95 * (1L << 50)) - 1)).isEqualTo("9.9 PiB"); // exact
  }

  @Test
  void randomCountsOfEveryMagnitude() {
    SplittableRandom random = new SplittableRandom(17);
    for (int i = 0; i < 200_000; i++) {
      long b = random.nextLong(EXACT) >>> random.nextInt(53);
      assertThat(Sizes.format(b)).as("%d", b).isEqualTo(reference(b));
    }
  }
}
