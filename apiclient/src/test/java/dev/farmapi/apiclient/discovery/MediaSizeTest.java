package dev.farmapi.apiclient.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The rules of Python's {@code _media_size_to_long}, one by one. The exhaustive comparison with
 * the real function is in {@link DiscoveryParityTest#readsMaxSizeAsMediaSizeToLong}.
 */
class MediaSizeTest {
  @Test
  void unitsAreBinaryAndTheirCaseDoesNotMatter() {
    assertThat(MediaSize.parse("5TB")).isEqualTo(5L << 40);
    assertThat(MediaSize.parse("10MB")).isEqualTo(10L << 20);
    assertThat(MediaSize.parse("2gB")).isEqualTo(2L << 30);
    assertThat(MediaSize.parse("64kb")).isEqualTo(64L << 10);
  }

  @Test
  void withoutAUnitTheTextIsAPlainNumberOfBytes() {
    assertThat(MediaSize.parse("1024")).isEqualTo(1024);
    assertThat(MediaSize.parse("7 ")).isEqualTo(7);
  }

  @Test
  void textShorterThanTwoCharactersIsNoLimit() {
    assertThat(MediaSize.parse("")).isZero();
    assertThat(MediaSize.parse("9")).isZero();
  }

  @Test
  void numbersAreReadAsPythonsIntReadsThem() {
    assertThat(MediaSize.parse(" 5MB")).isEqualTo(5L << 20);
    assertThat(MediaSize.parse("5 TB")).isEqualTo(5L << 40);
    assertThat(MediaSize.parse("1_0KB")).isEqualTo(10L << 10);
    assertThat(MediaSize.parse("+7GB")).isEqualTo(7L << 30);
    assertThat(MediaSize.parse("\u0663KB")).isEqualTo(3L << 10); // ARABIC-INDIC DIGIT THREE
    assertThat(MediaSize.parse("-5MB")).isNegative(); // and so no limit
  }

  @Test
  void whatPythonCannotReadIsRefused() {
    for (String bad : new String[] {"1.5KB", "1K", "KB", "0x10", "1__0", "_5MB", "1 0MB"}) {
      assertThatThrownBy(() -> MediaSize.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
    }
  }

  @Test
  void sizesBeyondALongAreClampedToOne() {
    assertThat(MediaSize.parse("8388608TB")).isEqualTo(Long.MAX_VALUE);
    assertThat(MediaSize.parse("99999999999999TB")).isEqualTo(Long.MAX_VALUE);
  }
}
