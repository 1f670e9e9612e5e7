package dev.farmapi.browser;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.ApiKeys;
import dev.farmapi.server.store.SqliteMetadataStore;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A farm of its own on a test server, with its key (what a person types into the page) and the
 * API seen from outside the browser: what the server really holds.
 */
record TestFarm(String name, String key, FarmTestClient api) {
  private static final AtomicInteger farms = new AtomicInteger();
  private static final Pattern RECEIVED =
      Pattern.compile("(?m)^farm_upload_received_bytes_total(?:\\{[^}]*})? (\\S+)$");

  /** A new farm and its key, made as {@code farm keys create} makes them. */
  static TestFarm create(TestServer server) throws IOException {
    try (SqliteMetadataStore store =
        SqliteMetadataStore.open(server.dataDir().resolve("farm.db"))) {
      String name = "browser-" + farms.incrementAndGet();
      String key = ApiKeys.create(store, name);
      return new TestFarm(name, key, FarmTestClient.of(server.uri(), key));
    }
  }

  /** Every animal of the farm, as the API lists them. */
  List<JsonNode> animals() throws IOException {
    List<JsonNode> all = new ArrayList<>();
    for (String id : api.listIds()) {
      all.add(FarmTestClient.ok(api.get(id)));
    }
    return all;
  }

  JsonNode animalNamed(String name) throws IOException {
    List<JsonNode> all = animals();
    return all.stream().filter(a -> a.path("name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no animal named " + name + " in " + all));
  }

  /** The SHA-256 of an animal's media, downloaded through the API. */
  String storedSha256(JsonNode animal) throws IOException {
    return FarmTestClient.sha256(api.download(animal.get("id").asText()));
  }

  JsonNode insert(String name, String species) throws IOException {
    String json = "{\"name\":" + quote(name) + ",\"species\":" + quote(species) + "}";
    return FarmTestClient.ok(api.request("POST", "/farm/v1/animals").json(json).send());
  }

  /** Media bytes the server has read from upload bodies, from its /metrics counter. */
  static long receivedBytes(TestServer server) throws IOException {
    String metrics = RawHttp.request(server.uri(), "GET", "/metrics").send().text();
    Matcher m = RECEIVED.matcher(metrics);
    if (!m.find()) {
      throw new AssertionError("no farm_upload_received_bytes_total in /metrics");
    }
    return (long) Double.parseDouble(m.group(1));
  }

  private static String quote(String s) {
    return new com.fasterxml.jackson.databind.node.TextNode(s).toString();
  }
}
