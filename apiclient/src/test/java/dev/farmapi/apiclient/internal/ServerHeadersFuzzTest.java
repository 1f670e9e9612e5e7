package dev.farmapi.apiclient.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.farmapi.apiclient.ResumableDownloadError;
import java.net.ProtocolException;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;

/**
 * Fuzz tests of what the client reads from a server's headers: the {@code Range} of a 308
 * ({@link Uris#rangeEnd}) and the Content-Range, Content-Length, ETag and X-Goog-Hash of a
 * download ({@link DownloadResponse#of}). A hostile or broken server must only ever cause the
 * library's declared errors, never a negative offset or an unchecked exception.
 *
 * <p>Plain {@code mvn test} replays the seeds in
 * {@code src/test/resources/dev/farmapi/apiclient/internal/ServerHeadersFuzzTestInputs/}.
 */
class ServerHeadersFuzzTest {
  /** Any Range header acknowledges a sane byte count (0 when absent) or is a ProtocolException. */
  @FuzzTest(maxDuration = "10m")
  void anyRangeHeaderIsASaneCountOrAProtocolError(FuzzedDataProvider data)
      throws ProtocolException {
    String header = data.consumeBoolean() ? null : data.consumeRemainingAsString();
    long acknowledged;
    try {
      acknowledged = Uris.rangeEnd(header);
    } catch (ProtocolException e) { // the declared error; the re-read below must not throw it
      assertThat(e.getMessage()).startsWith("the server sent a malformed Range header");
      return;
    }
    assertThat(acknowledged).isNotNegative();
    if (acknowledged > 0) {
      assertThat(Uris.rangeEnd("bytes=0-" + (acknowledged - 1))).isEqualTo(acknowledged);
    }
  }

  /** What a server writes for {@code n} acknowledged bytes reads back as {@code n}. */
  @FuzzTest(maxDuration = "10m")
  void writtenRangesReadBackExactly(FuzzedDataProvider data) throws ProtocolException {
    long last = data.consumeLong() & Long.MAX_VALUE;
    if (last == Long.MAX_VALUE) {
      return; // N+1 would not fit
    }
    assertThat(Uris.rangeEnd("bytes=0-" + last)).isEqualTo(last + 1);
  }

  /**
   * Any download answer's headers give consistent numbers (a body inside the media, no
   * negative length) or a ResumableDownloadError.
   */
  @FuzzTest(maxDuration = "10m")
  void anyDownloadHeadersAreConsistentOrAnError(FuzzedDataProvider data) {
    int status = data.pickValue(new int[] {200, 206, 416, 500});
    String contentRange = data.consumeString(60);
    String contentLength = data.consumeString(25);
    String etag = data.consumeString(20);
    String hash = data.consumeRemainingAsString();
    HttpHeaders headers = HttpHeaders.of(Map.of(
        "Content-Range", List.of(contentRange), "Content-Length", List.of(contentLength),
        "ETag", List.of(etag), "X-Goog-Hash", List.of(hash)), (k, v) -> true);
    DownloadResponse r;
    try {
      r = DownloadResponse.of(status, headers);
    } catch (ResumableDownloadError e) {
      assertThat(status).isEqualTo(206);
      return;
    }
    assertThat(r.first()).isNotNegative();
    assertThat(r.length()).isGreaterThanOrEqualTo(-1);
    assertThat(r.totalSize()).isGreaterThanOrEqualTo(-1);
    if (status == 206) {
      assertThat(r.length()).isPositive();
      if (r.totalSize() >= 0) {
        assertThat(r.first() + r.length()).isLessThanOrEqualTo(r.totalSize());
      }
    }
    if (r.etag() != null) {
      assertThat(r.etag()).startsWith("\"");
    }
  }
}
