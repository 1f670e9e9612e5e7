package dev.farmapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the progress bar and lines read like: units on both sides, no "?" rate, no ".4". */
class ProgressViewTest {
  private static final long MIB = 1 << 20;

  @Test
  void aBarNamesBothSizesWithUnitsAndLeavesOutARateItCannotTellYet() {
    String start = new ProgressView.Snapshot("Uploading pig.png", 0, 4 * MIB, 0, -1, Double.NaN)
        .bar(100);

    assertThat(start).startsWith("Uploading pig.png    0% [").endsWith("] 0 B / 4.0 MiB")
        .doesNotContain("?").doesNotContain("/s");
  }

  @Test
  void aBarShowsRateAndTimeLeftWithLeadingZeros() {
    String bar = new ProgressView.Snapshot("Uploading pig.png", MIB + MIB / 2, 4 * MIB, 0, -1,
        0.4 * MIB).bar(100);

    assertThat(bar).contains(" 37% [").contains("] 1.5 MiB / 4.0 MiB  410 KiB/s  0:07 left");
    assertThat(new ProgressView.Snapshot("x", MIB, 4 * MIB, 0, -1, 0.4 * 1024).bar(100))
        .endsWith("1.0 MiB / 4.0 MiB  409 B/s  2:08:00 left");
  }

  @Test
  void aBatchBarCountsFilesAndFitsTheTerminal() {
    ProgressView.Snapshot batch = new ProgressView.Snapshot("Uploading 200 files", 30 * MIB,
        80 * MIB, 57, 200, 20.0 * MIB);

    assertThat(batch.bar(100)).startsWith("Uploading 200 files   37% [")
        .endsWith("] 57/200 files  30.0 MiB / 80.0 MiB  20.0 MiB/s  0:03 left");
    assertThat(batch.bar(60)).hasSizeLessThan(60)
        .isEqualTo("Uploadi...   37% 30.0 MiB / 80.0 MiB  20.0 MiB/s  0:03 left");
    assertThat(batch.bar(40)).hasSizeLessThan(40).isEqualTo("Uploading ...   37% 30.0 MiB / 80.0 MiB");
  }

  @Test
  void plainLinesReadAsBefore() {
    assertThat(new ProgressView.Snapshot("Uploading cow.jpg", 768 * 1024, 768 * 1024, 0, -1,
        300 * 1024).line()).isEqualTo("Uploading cow.jpg: 768 KiB of 768 KiB (100%), 300 KiB/s");
    assertThat(new ProgressView.Snapshot("Uploading 3 files", 0, -1, 1, 3, Double.NaN).line())
        .isEqualTo("Uploading 3 files: 1 of 3 files, 0 B, 0 B/s");
  }
}
