package dev.farmapi.server.http;

import dev.farmapi.server.upload.ChunkRange;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.farmapi.server.ApiException;

/**
 * Fuzz tests of {@link ContentRange#parse}.
 *
 * <p>Plain {@code mvn test} runs them as regression tests over the seeds in
 * {@code src/test/resources/dev/farmapi/server/http/ContentRangeFuzzTestInputs/}. To fuzz one
 * method (up to its {@code maxDuration}; findings land in that resource folder):
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -pl farm-server test \
 *     -Dtest='ContentRangeFuzzTest#anyHeaderParsesToAConsistentValueOrIsRejected'
 * </pre>
 *
 * To bound the run differently, pass libFuzzer flags; the first stands for argv[0] and is dropped:
 * {@code -Djazzer.internal.arg.0=x -Djazzer.internal.arg.1=-max_total_time=60}.
 */
class ContentRangeFuzzTest {
  /** Any text either parses to a self-consistent value that prints back to itself, or is a 400. */
  @FuzzTest(maxDuration = "10m")
  void anyHeaderParsesToAConsistentValueOrIsRejected(FuzzedDataProvider data) {
    String header = data.consumeRemainingAsString();
    ChunkRange range;
    try {
      range = ContentRange.parse(header);
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.reason()).isEqualTo("invalidContentRange");
      assertThat(e.getMessage()).contains("expected").hasSizeLessThan(600);
      return;
    }
    assertConsistent(range);
    assertThat(ContentRange.parse(range.toString())).isEqualTo(range);
  }

  /**
   * Numbers written in the canonical form parse back exactly when a reference predicate (written
   * here independently of the parser) says they are consistent, and are a 400 otherwise.
   */
  @FuzzTest(maxDuration = "10m")
  void consistentNumbersParseBackExactly(FuzzedDataProvider data) {
    boolean query = data.consumeBoolean();
    long first = query ? -1 : anyNonNegative(data);
    long last = query ? -1 : pickLast(data, first);
    long total = data.consumeBoolean() ? -1 : pickTotal(data, last);
    String header =
        "bytes " + (query ? "*" : first + "-" + last) + "/" + (total == -1 ? "*" : total);

    boolean valid = query || referenceValid(first, last, total);
    try {
      ChunkRange range = ContentRange.parse(header);
      assertThat(valid).as("accepted %s", header).isTrue();
      assertThat(range).isEqualTo(new ChunkRange(first, last, total));
      assertThat(range.toString()).isEqualTo(header);
    } catch (ApiException e) {
      assertThat(valid).as("rejected %s: %s", header, e.getMessage()).isFalse();
    }
  }

  /** Near {@code first} most of the time, where the edge cases are; sometimes anywhere. */
  private static long pickLast(FuzzedDataProvider data, long first) {
    if (data.consumeBoolean()) {
      return data.consumeBoolean() ? -1 : anyNonNegative(data);
    }
    return saturatedAdd(first, data.consumeLong(-2, 2));
  }

  /** Near {@code last} most of the time, where the edge cases are; sometimes anywhere. */
  private static long pickTotal(FuzzedDataProvider data, long last) {
    if (data.consumeBoolean()) {
      return anyNonNegative(data);
    }
    return Math.max(0, saturatedAdd(last, data.consumeLong(-1, 2)));
  }

  /**
   * Not {@code consumeLong(0, Long.MAX_VALUE)}: Jazzer 0.24 returns negative numbers for that
   * full-width range (its range + 1 overflows), which the fuzzer found on its first run.
   */
  private static long anyNonNegative(FuzzedDataProvider data) {
    return data.consumeLong() & Long.MAX_VALUE;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  private static boolean referenceValid(long first, long last, long total) {
    boolean empty = last == first - 1;
    if (last < first && !empty) {
      return false;
    }
    if (total == -1) {
      return last != Long.MAX_VALUE;
    }
    // A known total holds the whole range: byte positions 0..total-1, an empty range may sit at
    // total itself.
    return first <= total && last < total;
  }

  private static void assertConsistent(ChunkRange range) {
    assertThat(range.length()).isNotNegative();
    assertThat(range.total()).isGreaterThanOrEqualTo(-1);
    assertThat(range.totalKnown()).isEqualTo(range.total() != -1);
    if (range.isQuery()) {
      assertThat(range.length()).isZero();
      return;
    }
    assertThat(range.first()).isNotNegative();
    assertThat(range.last()).isGreaterThanOrEqualTo(range.first() - 1);
    assertThat(range.length()).isEqualTo(range.last() - range.first() + 1);
    if (range.totalKnown()) {
      assertThat(range.first()).isLessThanOrEqualTo(range.total());
      assertThat(range.last()).isLessThan(range.total());
    }
  }
}
