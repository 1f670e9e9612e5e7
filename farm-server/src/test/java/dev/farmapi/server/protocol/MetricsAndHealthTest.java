package dev.farmapi.server.protocol;

import static dev.farmapi.server.testing.ProtocolAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.ProtocolAssert;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /healthz} and {@code /metrics}: no key, counters only. */
class MetricsAndHealthTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();

  @Test
  void healthzAnswersOkWithoutKey() throws Exception {
    RawHttp.Response r = server.client().anonymous("GET", "/healthz").send();

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("status").asText()).isEqualTo("ok");
  }

  @Test
  void metricsArePrometheusTextCountingUploadsBytesAndErrorsByReason() throws Exception {
    FarmTestClient client = server.client();
    double uploadsBefore = value(scrape(), "farm_uploads_total", "type=\"media\"");
    double bytesBefore = value(scrape(), "farm_upload_received_bytes_total", null);
    byte[] media = FarmTestClient.randomBytes(70_000, 7);
    ProtocolAssert.assertStored(client, client.insertSimple(media, "image/png"), media);
    assertError(client.get("no-such-animal"), 404, "notFound");
    assertError(client.anonymous("GET", "/farm/v1/animals").send(), 401, "unauthorized");

    RawHttp.Response r = server.client().anonymous("GET", "/metrics").send();

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("text/plain");
    String text = r.text();
    assertThat(text).contains("# TYPE farm_uploads_total counter");
    assertThat(value(text, "farm_uploads_total", "type=\"media\"")).isEqualTo(uploadsBefore + 1);
    assertThat(value(text, "farm_upload_received_bytes_total", null))
        .isGreaterThanOrEqualTo(bytesBefore + media.length);
    assertThat(value(text, "farm_errors_total", "reason=\"notFound\"")).isGreaterThanOrEqualTo(1);
    assertThat(value(text, "farm_errors_total", "reason=\"unauthorized\""))
        .isGreaterThanOrEqualTo(1);
    // Counters only: no key, no animal id, no name leaks to an endpoint anyone may read.
    assertThat(text).doesNotContain(server.adminKey());
  }

  private static String scrape() throws Exception {
    return server.client().anonymous("GET", "/metrics").send().text();
  }

  /** The sample of {@code name} whose labels contain {@code label}, or 0 when absent. */
  static double value(String text, String name, String label) {
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
    while (m.find()) {
      if (label == null || (m.group(1) != null && m.group(1).contains(label))) {
        return Double.parseDouble(m.group(2));
      }
    }
    return 0;
  }
}
