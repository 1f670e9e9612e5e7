package dev.farmapi.server.http;

import dev.farmapi.server.upload.ChunkRange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farmapi.server.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentRangeTest {
  @Test
  void parsesAChunkWithAKnownTotal() {
    ChunkRange range = ContentRange.parse("bytes 0-262143/1000000");

    assertThat(range).isEqualTo(new ChunkRange(0, 262143, 1000000));
    assertThat(range.isQuery()).isFalse();
    assertThat(range.totalKnown()).isTrue();
    assertThat(range.length()).isEqualTo(262144);
  }

  @Test
  void parsesAChunkWhileTheTotalIsUnknown() {
    ChunkRange range = ContentRange.parse("bytes 262144-524287/*");

    assertThat(range).isEqualTo(new ChunkRange(262144, 524287, -1));
    assertThat(range.totalKnown()).isFalse();
    assertThat(range.length()).isEqualTo(262144);
  }

  @Test
  void parsesAStatusQueryWithAKnownTotal() {
    ChunkRange range = ContentRange.parse("bytes */1000000");

    assertThat(range).isEqualTo(new ChunkRange(-1, -1, 1000000));
    assertThat(range.isQuery()).isTrue();
    assertThat(range.length()).isZero();
  }

  @Test
  void parsesAStatusQueryWithAnUnknownTotal() {
    ChunkRange range = ContentRange.parse("bytes */*");

    assertThat(range.isQuery()).isTrue();
    assertThat(range.totalKnown()).isFalse();
    assertThat(range.length()).isZero();
  }

  @Test
  void parsesEmptyFinalChunkTheWayThePythonClientSendsIt() {
    ChunkRange range = ContentRange.parse("bytes 524288-524287/524288");

    assertThat(range).isEqualTo(new ChunkRange(524288, 524287, 524288));
    assertThat(range.isQuery()).isFalse();
    assertThat(range.length()).isZero();
  }

  @Test
  void parsesTheZeroByteUploadWithLastWrittenAsMinusOne() {
    ChunkRange range = ContentRange.parse("bytes 0--1/0");

    assertThat(range).isEqualTo(new ChunkRange(0, -1, 0));
    assertThat(range.isQuery()).isFalse();
    assertThat(range.length()).isZero();
    assertThat(range.toString()).isEqualTo("bytes 0--1/0");
  }

  @Test
  void parsesASingleByteUpload() {
    assertThat(ContentRange.parse("bytes 0-0/1").length()).isEqualTo(1);
  }

  @Test
  void acceptsTheLargestPositions() {
    long max = Long.MAX_VALUE;
    assertThat(ContentRange.parse("bytes 0-" + (max - 1) + "/" + max))
        .isEqualTo(new ChunkRange(0, max - 1, max));
    assertThat(ContentRange.parse("bytes 0-" + (max - 1) + "/" + max).length()).isEqualTo(max);
    assertThat(ContentRange.parse("bytes */" + max).total()).isEqualTo(max);
    assertThat(ContentRange.parse("bytes " + max + "-" + (max - 1) + "/" + max).length())
        .isZero();
  }

  @Test
  void toleratesCaseWhitespaceAndLeadingZeros() {
    assertThat(ContentRange.parse("  \tBYTES \t 007-0009/010 \t"))
        .isEqualTo(new ChunkRange(7, 9, 10));
    assertThat(ContentRange.parse("Bytes\t*/*")).isEqualTo(new ChunkRange(-1, -1, -1));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bytes 0-262143/1000000",
        "bytes 262144-524287/*",
        "bytes */1000000",
        "bytes */*",
        "bytes 524288-524287/524288",
        "bytes 0--1/0",
        "bytes 0--1/*",
        "bytes 9223372036854775807-9223372036854775806/9223372036854775807"
      })
  void writesTheCanonicalFormBack(String header) {
    assertThat(ContentRange.parse(header).toString()).isEqualTo(header);
    assertThat(ContentRange.parse(header.toUpperCase().replace(" ", "   ")).toString())
        .isEqualTo(header);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " \t ",
        "bytes",
        "bytes ",
        "bytes=0-1/2",
        "bytes0-1/2",
        "items 0-1/2",
        "byte 0-1/2",
        "byteſ 0-1/2",
        "İtems 0-1/2",
        "bytes 0-1",
        "bytes 0-/2",
        "bytes -1/2",
        "bytes 0/2",
        "bytes 0-1/",
        "bytes */",
        "bytes *-1/2",
        "bytes *",
        "bytes 1-*/2",
        "bytes +0-1/2",
        "bytes 0-+1/2",
        "bytes 0-1/+2",
        "bytes -0-1/2",
        "bytes 0-1/-2",
        "bytes 0--2/0",
        "bytes 0--0/0",
        "bytes 0--01/1",
        "bytes 0x0-1/2",
        "bytes 0-1/2x",
        "bytes 0-1/2 3",
        "bytes 0-1/2/3",
        "bytes 0-1/2,4-5/6",
        "bytes 0 -1/2",
        "bytes 0- 1/2",
        "bytes 0-1 /2",
        "bytes 0-1/ 2",
        "bytes ０-1/2",
        "bytes 1.5-2/3",
        "bytes 1e3-2/3",
        "bytes 0-1/*x",
        "bytes **/*"
      })
  void rejectsMalformedHeaders(String header) {
    assertInvalid(header);
  }

  @Test
  void rejectsAMissingHeader() {
    assertThatThrownBy(() -> ContentRange.parse(null))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("missing")
        .hasMessageContaining("bytes FIRST-LAST/TOTAL");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bytes 9223372036854775808-9223372036854775808/*",
        "bytes 0-9223372036854775808/*",
        "bytes 0-1/9223372036854775808",
        "bytes */99999999999999999999999999999999999999",
        "bytes 0-1/18446744073709551617"
      })
  void rejectsNumbersThatOverflowALongWithoutNumberFormatException(String header) {
    assertInvalid(header).hasMessageContaining("larger than 9223372036854775807");
  }

  @Test
  void rejectsALastPositionWithNoRoomForATotal() {
    assertInvalid("bytes 0-9223372036854775807/*").hasMessageContaining("no room for a total");
  }

  @Test
  void rejectsLastBeforeFirstSayingWhatWouldBeRight() {
    assertInvalid("bytes 5-2/10")
        .hasMessage(
            "Content-Range 'bytes 5-2/10' is invalid: the last byte 2 is before the first 5;"
                + " expected FIRST <= LAST, or LAST = FIRST-1 for an empty chunk");
  }

  @Test
  void rejectsMinusOneAsLastUnlessFirstIsZero() {
    assertInvalid("bytes 5--1/10").hasMessageContaining("before the first 5");
  }

  @Test
  void rejectsALastPositionAtOrPastTheTotal() {
    assertInvalid("bytes 0-10/10").hasMessageContaining("expected LAST <= TOTAL-1");
    assertInvalid("bytes 5-20/10").hasMessageContaining("not below the total 10");
  }

  @Test
  void rejectsAFirstPositionPastTheTotal() {
    assertInvalid("bytes 11-10/10").hasMessageContaining("past the total 10");
    assertInvalid("bytes 1-0/0").hasMessageContaining("past the total 0");
  }

  @Test
  void acceptsAnEmptyRangeInsideTheUploadForTheStateMachineToJudge() {
    // Consistent in itself; whether an empty chunk at 5 means anything is the session's call.
    assertThat(ContentRange.parse("bytes 5-4/10").length()).isZero();
    assertThat(ContentRange.parse("bytes 5-4/*").length()).isZero();
  }

  @Test
  void quotesOnlyTheStartOfAHugeHeader() {
    String huge = "bytes 0-1/" + "9".repeat(100_000);
    assertInvalid(huge).satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
  }

  @Test
  void refusesToConstructValuesNoHeaderCouldCarry() {
    assertThatThrownBy(() -> new ChunkRange(5, 2, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChunkRange(0, 0, -2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChunkRange(-1, 3, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChunkRange(0, 10, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(
      String header) {
    return assertThatThrownBy(() -> ContentRange.parse(header))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.reason()).isEqualTo("invalidContentRange");
              assertThat(e.getMessage()).contains("expected");
            });
  }
}
