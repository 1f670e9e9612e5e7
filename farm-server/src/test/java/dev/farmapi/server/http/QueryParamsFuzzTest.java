package dev.farmapi.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.farmapi.server.ApiException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Fuzz tests of {@link QueryParams}.
 *
 * <p>Plain {@code mvn test} replays the seeds in
 * {@code src/test/resources/dev/farmapi/server/http/QueryParamsFuzzTestInputs/}.
 */
class QueryParamsFuzzTest {
  /** Any raw query parses or is a 400 whose message stays short whatever the query's size. */
  @FuzzTest(maxDuration = "10m")
  void anyQueryParsesOrIsAShort400(FuzzedDataProvider data) {
    String query = data.consumeRemainingAsString();
    QueryParams params;
    try {
      params = QueryParams.parse(query);
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.reason()).isIn("invalidParameter", "duplicateParameter");
      assertThat(e.getMessage()).hasSizeLessThan(600);
      return;
    }
    String uploadId = params.get("upload_id");
    if (uploadId != null) {
      assertThat(query).contains("upload_id"); // a parameter comes from the text, not thin air
    }
  }

  /** Parameters encoded the way clients do (URLEncoder, UTF-8) come back exactly. */
  @FuzzTest(maxDuration = "10m")
  void encodedParametersComeBackExactly(FuzzedDataProvider data) {
    Map<String, String> sent = new LinkedHashMap<>();
    int count = data.consumeInt(0, 4);
    for (int i = 0; i < count; i++) {
      sent.put("p" + i + data.consumeString(6), data.consumeString(40));
    }
    StringJoiner query = new StringJoiner("&");
    sent.forEach((k, v) -> query.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(v, StandardCharsets.UTF_8)));

    QueryParams params = QueryParams.parse(query.toString());

    sent.forEach((k, v) -> assertThat(params.get(k)).as(k).isEqualTo(v));
  }
}
