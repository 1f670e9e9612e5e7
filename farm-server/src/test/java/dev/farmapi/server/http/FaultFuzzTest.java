package dev.farmapi.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.farmapi.server.ApiException;

/**
 * Fuzz tests of {@link Fault#parse}, the retry-test instruction parser.
 *
 * <p>Plain {@code mvn test} replays the seeds in
 * {@code src/test/resources/dev/farmapi/server/http/FaultFuzzTestInputs/}.
 */
class FaultFuzzTest {
  /**
   * Any text is a fault whose own text parses back to the same fault, with sane numbers, or a
   * short 400 invalidInstruction.
   */
  @FuzzTest(maxDuration = "10m")
  void anyInstructionRoundTripsOrIsA400(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    Fault fault;
    try {
      fault = Fault.parse(text);
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.reason()).isEqualTo("invalidInstruction");
      assertThat(e.getMessage()).hasSizeLessThan(600);
      return;
    }
    assertThat(Fault.parse(fault.text())).isEqualTo(fault);
    assertThat(fault.text()).isEqualTo(canonical(text));
    if (fault instanceof Fault.Return r) {
      assertThat(r.status()).isBetween(400, 599);
    } else if (fault instanceof Fault.ReturnAfter r) {
      assertThat(r.status()).isBetween(400, 599);
      assertThat(r.bytes()).isNotNegative();
    } else if (fault instanceof Fault.BrokenFinal b) {
      assertThat(b.bytes()).isNotNegative();
    } else if (fault instanceof Fault.BrokenStream b) {
      assertThat(b.bytes()).isNotNegative();
    } else if (fault instanceof Fault.Stall s) {
      assertThat(s.pause().isNegative()).isFalse();
      assertThat(s.bytes()).isNotNegative();
    } else {
      assertThat(text).isEqualTo("return-reset-connection");
    }
  }

  /** The instruction with leading zeros of its numbers dropped, as {@code text()} prints it. */
  private static String canonical(String text) {
    return text.replaceAll("(?<=[-])0+(?=\\d)", "");
  }
}
