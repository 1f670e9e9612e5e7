package dev.farmapi.apiclient;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz tests of the JSON the client reads: error bodies ({@link HttpError}) and saved resumable
 * sessions ({@link ResumableSession#fromJson}).
 *
 * <p>Plain {@code mvn test} replays the seeds in
 * {@code src/test/resources/dev/farmapi/apiclient/ErrorAndSessionJsonFuzzTestInputs/}.
 */
class ErrorAndSessionJsonFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final URI URI_OF_CALL = URI.create("http://localhost/x");

  /** Any error body makes an HttpError (never an exception of its own) that keeps the body. */
  @FuzzTest(maxDuration = "10m")
  void anyErrorBodyMakesAnHttpError(FuzzedDataProvider data) {
    int status = data.consumeInt(400, 599);
    String body = data.consumeRemainingAsString();

    HttpError e = new HttpError(status, body, "PUT", URI_OF_CALL);

    assertThat(e.statusCode()).isEqualTo(status);
    assertThat(e.content()).isEqualTo(body);
    assertThat(e.reason()).isNotNull();
    assertThat(e.getMessage()).startsWith("HTTP " + status).endsWith("(PUT " + URI_OF_CALL + ")");
  }

  /** A Google-style error written by a server gives back its reason and message exactly. */
  @FuzzTest(maxDuration = "10m")
  void googleStyleErrorsGiveTheirReasonAndMessage(FuzzedDataProvider data) throws Exception {
    String reason = data.consumeString(40);
    String message = data.consumeRemainingAsString();
    ObjectNode error = JSON.createObjectNode();
    error.putObject("error").put("code", 400).put("message", message)
        .putArray("errors").addObject().put("reason", reason).put("message", message);

    HttpError e = new HttpError(400, JSON.writeValueAsString(error), "POST", URI_OF_CALL);

    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.getMessage()).contains(message);
  }

  /**
   * Any saved text reads as a session that saves back to the same session, or is an
   * IllegalArgumentException, as documented.
   */
  @FuzzTest(maxDuration = "10m")
  void anySavedTextIsASessionOrRefused(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    ResumableSession session;
    try {
      session = ResumableSession.fromJson(text);
    } catch (IllegalArgumentException e) {
      return;
    }
    assertThat(session.offset()).isNotNegative();
    assertThat(ResumableSession.fromJson(session.toJson())).isEqualTo(session);
  }

  /** A session saved with {@link ResumableSession#toJson} reads back equal. */
  @FuzzTest(maxDuration = "10m")
  void savedSessionsReadBackEqual(FuzzedDataProvider data) {
    URI uri = URI.create("http://127.0.0.1:8080/upload/farm/v1/animals?upload_id="
        + URLEncoder.encode(data.consumeString(40), StandardCharsets.UTF_8));
    long offset = data.consumeLong() & Long.MAX_VALUE;
    long total = data.consumeBoolean() ? -1 : data.consumeLong() & Long.MAX_VALUE;
    String fingerprint = data.consumeBoolean() ? null : data.consumeString(80);
    String mimeType = data.consumeRemainingAsString();
    ResumableSession session = new ResumableSession(uri, offset, total, mimeType, fingerprint);

    assertThat(ResumableSession.fromJson(session.toJson())).isEqualTo(session);
  }
}
