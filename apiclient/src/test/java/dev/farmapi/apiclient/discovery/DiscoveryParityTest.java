package dev.farmapi.apiclient.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.apiclient.ApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays what google-api-python-client 1.7.12 did, recorded by {@code python_parity.py} (in the
 * test resources, next to its output {@code python-parity.json}) for calls built from
 * {@code parity-document.json}: URLs, media URLs, errors, page tokens, the accept check,
 * {@code maxSize} and URI templates. One difference is normalized: Python ends a URL without
 * query parameters with a lone "?", which we leave out.
 */
class DiscoveryParityTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final JsonNode PYTHON = read("python-parity.json");

  static JsonNode read(String name) {
    try (InputStream in = DiscoveryParityTest.class.getResourceAsStream(name)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static Service zoo() throws IOException {
    return Discovery.fromDocument(read("parity-document.json"), ApiClient.create());
  }

  static Stream<JsonNode> calls() {
    return stream(PYTHON.get("calls"));
  }

  static Stream<JsonNode> accept() {
    return stream(PYTHON.get("accept"));
  }

  static Stream<JsonNode> maxSize() {
    return stream(PYTHON.get("maxSize"));
  }

  static Stream<JsonNode> templates() {
    return stream(PYTHON.get("templates"));
  }

  @ParameterizedTest
  @MethodSource("calls")
  void buildsTheUrlsAndRaisesTheErrorsOfThePythonClient(JsonNode c) throws IOException {
    MethodCall call = call(zoo(), c);
    if (c.has("error")) {
      assertThatThrownBy(call::build).isInstanceOf(IllegalArgumentException.class);
      return;
    }
    assertThat(call.build().uri()).hasToString(python(c.get("uri")));
    if (c.has("mediaUri")) {
      assertThat(call.mediaUri()).hasToString(python(c.get("mediaUri")));
    }
    if (c.has("uploadUri")) {
      MethodSpec spec = spec(zoo(), c);
      assertThat(Urls.mediaUpload(spec, Arguments.resolve(spec, params(c)), "json"))
          .hasToString(c.get("uploadUri").asText());
    }
  }

  @Test
  void asksForTheNextPageAsListNextDoes() throws IOException {
    JsonNode py = PYTHON.get("paging");
    MethodCall first = zoo().resource("enclosures").resource("keepers").method("list")
        .param("enclosureId", "e1").param("pageToken", "").param("max-results", 2);

    MethodCall second = first.next(JSON.readTree("{\"nextPageToken\": \"t/2 3\"}")).orElseThrow();

    // Python re-encodes the query and drops blank values on the way: compare the pairs that
    // matter, in any order.
    assertThat(queryPairs(second.build().uri())).containsExactlyInAnyOrderElementsOf(
        queryPairs(URI.create(py.get("listNext").asText())));
    assertThat(second.next(JSON.readTree("{\"nextPageToken\": \"\"}"))).isEmpty();
    assertThat(py.get("listLast").isNull()).isTrue();
  }

  @Test
  void putsTheNextPageTokenInTheBodyWhenTheMethodTakesItThere() throws Exception {
    JsonNode py = PYTHON.get("paging");
    try (RecordingServer server = new RecordingServer()) {
      ObjectNode doc = (ObjectNode) read("parity-document.json");
      doc.put("rootUrl", server.root());
      MethodCall search = Discovery.fromDocument(doc, ApiClient.create())
          .resource("enclosures").resource("keepers").method("search").body(Map.of("query", "q"));

      search.next(JSON.readTree("{\"nextPageToken\": \"s 2\"}")).orElseThrow().execute();

      RecordedRequest sent = server.take();
      assertThat(sent.getUrl().encodedPath() + "?" + sent.getUrl().encodedQuery())
          .isEqualTo(URI.create(py.get("searchNextUri").asText()).getRawPath() + "?alt=json");
      assertThat(JSON.readTree(sent.getBody().utf8())).isEqualTo(py.get("searchNextBody"));
    }
  }

  @ParameterizedTest
  @MethodSource("accept")
  void matchesMediaTypesAgainstAcceptAsMimeparse(JsonNode c) {
    List<String> accept = new ArrayList<>();
    c.get("accept").forEach(a -> accept.add(a.asText()));

    assertThat(MediaRanges.accepts(accept, c.get("type").asText()))
        .isEqualTo(c.get("accepted").asBoolean());
  }

  @ParameterizedTest
  @MethodSource("maxSize")
  void readsMaxSizeAsMediaSizeToLong(JsonNode c) {
    String text = c.get("text").asText();
    if (c.has("error")) {
      assertThatThrownBy(() -> MediaSize.parse(text)).isInstanceOf(IllegalArgumentException.class);
      return;
    }
    BigInteger python = new BigInteger(c.get("bytes").asText());
    // Python's integers have no bound; ours stop at Long.MAX_VALUE, larger than any media.
    assertThat(MediaSize.parse(text)).isEqualTo(python.min(BigInteger.valueOf(Long.MAX_VALUE))
        .longValueExact());
  }

  @ParameterizedTest
  @MethodSource("templates")
  void expandsUriTemplatesAsUritemplate(JsonNode c) {
    Map<String, Object> values = new LinkedHashMap<>();
    c.get("values").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().isArray()
        ? stream(e.getValue()).map(JsonNode::asText).toList() : e.getValue().asText()));

    assertThat(new UriTemplate(c.get("template").asText()).expand(values))
        .isEqualTo(c.get("expanded").asText());
  }

  static MethodCall call(Service service, JsonNode c) {
    String[] path = c.get("resource").asText().split("\\.");
    MethodCall call;
    if (path[0].isEmpty()) {
      call = service.method(c.get("method").asText());
    } else {
      Resource r = service.resource(path[0]);
      for (String name : Arrays.copyOfRange(path, 1, path.length)) {
        r = r.resource(name);
      }
      call = r.method(c.get("method").asText());
    }
    params(c).forEach(call::param);
    return call;
  }

  static MethodSpec spec(Service service, JsonNode c) {
    ResourceSpec r = service.spec().root();
    for (String name : c.get("resource").asText().split("\\.")) {
      r = name.isEmpty() ? r : r.resources().get(name);
    }
    return r.methods().get(c.get("method").asText());
  }

  static Map<String, Object> params(JsonNode c) {
    Map<String, Object> params = new LinkedHashMap<>();
    c.get("params").fields().forEachRemaining(e -> {
      try {
        params.put(e.getKey(), JSON.treeToValue(e.getValue(), Object.class));
      } catch (IOException ex) {
        throw new AssertionError(ex);
      }
    });
    return params;
  }

  static String python(JsonNode uri) {
    String s = uri.asText();
    return s.endsWith("?") ? s.substring(0, s.length() - 1) : s;
  }

  static List<String> queryPairs(URI uri) {
    return Arrays.stream(uri.getRawQuery().split("&")).filter(p -> !p.endsWith("=")).toList();
  }

  static Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> list = new ArrayList<>();
    array.forEach(list::add);
    return list.stream();
  }
}
