package dev.farmapi.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.farmapi.server.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Fuzz tests of the multipart framing headers: {@link MultipartBoundary} (the request's
 * Content-Type) and {@link PartHeaders} (each part's header block). The body scanner has its own
 * targets in {@link MultipartReaderFuzzTest}.
 *
 * <p>Plain {@code mvn test} replays the seeds in
 * {@code src/test/resources/dev/farmapi/server/http/MultipartHeadersFuzzTestInputs/}.
 */
class MultipartHeadersFuzzTest {
  /** Any Content-Type gives a boundary that can frame a body, or a short 400 invalidMultipart. */
  @FuzzTest(maxDuration = "10m")
  void anyContentTypeGivesAUsableBoundaryOrA400(FuzzedDataProvider data) {
    String header = data.consumeRemainingAsString();
    String boundary;
    try {
      boundary = MultipartBoundary.parse(header);
    } catch (ApiException e) {
      assertInvalidMultipart(e);
      return;
    }
    assertThat(MultipartBoundary.problem(boundary)).isNull();
    assertThat(header).containsIgnoringCase("boundary");
    // Quoted with every '"' and '\' escaped, the boundary comes back as it was.
    String quoted = "multipart/related; boundary=\""
        + boundary.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    assertThat(MultipartBoundary.parse(quoted)).isEqualTo(boundary);
  }

  /** Any boundary the checks accept comes back from either quoted or bare form, parameters around. */
  @FuzzTest(maxDuration = "10m")
  void acceptedBoundariesComeBackQuotedOrBare(FuzzedDataProvider data) {
    String boundary = data.consumeString(80);
    boolean bare = data.consumeBoolean();
    if (MultipartBoundary.problem(boundary) != null) {
      return;
    }
    if (bare && (boundary.contains(";") || boundary.contains(" ") || boundary.contains("\t")
        || boundary.startsWith("\""))) {
      return; // such a boundary cannot travel bare
    }
    String value = bare ? boundary
        : "\"" + boundary.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    String header = "Multipart/Related ; type=\"application/json\"; boundary=" + value + " ;x=y";
    assertThat(MultipartBoundary.parse(header)).isEqualTo(boundary);
  }

  /**
   * Any header block gives lower-case token names with trimmed, single-line values, or a short
   * 400 invalidMultipart.
   */
  @FuzzTest(maxDuration = "10m")
  void anyPartHeaderBlockGivesCleanHeadersOrA400(FuzzedDataProvider data) {
    byte[] block = data.consumeRemainingAsBytes();
    Map<String, String> headers;
    try {
      headers = PartHeaders.parse(block, block.length, 1);
    } catch (ApiException e) {
      assertInvalidMultipart(e);
      return;
    }
    String text = new String(block, StandardCharsets.ISO_8859_1);
    headers.forEach((name, value) -> {
      assertThat(name).matches("[a-z0-9!#$%&'*+.^_`|~-]+");
      assertThat(value).doesNotContain("\n").doesNotStartWith(" ").doesNotEndWith(" ")
          .doesNotStartWith("\t").doesNotEndWith("\t");
      assertThat(text.toLowerCase(java.util.Locale.ROOT)).contains(name + ":");
    });
  }

  private static void assertInvalidMultipart(ApiException e) {
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.reason()).isEqualTo("invalidMultipart");
    assertThat(e.getMessage()).hasSizeLessThan(800);
  }
}
