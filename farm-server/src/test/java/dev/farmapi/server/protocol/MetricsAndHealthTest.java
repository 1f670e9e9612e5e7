package dev.farmapi.server.protocol;

import static dev.farmapi.server.testing.ProtocolAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.ProtocolAssert;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
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
    List<String> before = scrapes();
    byte[] media = FarmTestClient.randomBytes(70_000, 7);
    ProtocolAssert.assertStored(client, client.insertSimple(media, "image/png"), media);
    assertError(client.get("no-such-animal"), 404, "notFound");
    assertError(client.anonymous("GET", "/farm/v1/animals").send(), 401, "unauthorized");

    List<String> after = scrapes();

    assertThat(total(after, "farm_uploads_total", "type=\"media\""))
        .isEqualTo(total(before, "farm_uploads_total", "type=\"media\"") + 1);
    assertThat(total(after, "farm_upload_received_bytes_total", null))
        .isGreaterThanOrEqualTo(total(before, "farm_upload_received_bytes_total", null)
            + media.length);
    assertThat(total(after, "farm_errors_total", "reason=\"notFound\"")).isGreaterThanOrEqualTo(1);
    assertThat(total(after, "farm_errors_total", "reason=\"unauthorized\""))
        .isGreaterThanOrEqualTo(1);
    for (String text : after) {
      assertThat(text).contains("# TYPE farm_uploads_total counter");
      // Counters only: no key, no animal id, no name leaks to an endpoint anyone may read.
      assertThat(text).doesNotContain(server.adminKey());
    }
  }

  /**
   * {@code /metrics} of each of the server's processes (one, or each node of a cluster: the
   * counters are per process, as a Prometheus scrape of every node sees them).
   */
  private static List<String> scrapes() throws Exception {
    List<String> texts = new ArrayList<>();
    for (URI node : server.nodeUris()) {
      RawHttp.Response r = server.client().on(node).anonymous("GET", "/metrics").send();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Content-Type")).startsWith("text/plain");
      texts.add(r.text());
    }
    return texts;
  }

  /** The sum over {@code texts} of the sample {@link #value} finds in each. */
  static double total(List<String> texts, String name, String label) {
    return texts.stream().mapToDouble(t -> value(t, name, label)).sum();
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
