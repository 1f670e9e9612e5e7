package dev.farmapi.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.ProtocolAssert;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The discovery document, read the way google-api-python-client reads it. */
class DiscoveryDocumentTest {
  private static final String PATH = "/discovery/v1/apis/farm/v1/rest";

  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(dir.resolve("default"));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static JsonNode discovery(TestServer s) throws Exception {
    return FarmTestClient.ok(s.client().anonymous("GET", PATH).send());
  }

  @Test
  void isServedWithoutKeyWithRootUrlOfTheRequestsOwnHost() throws Exception {
    JsonNode doc = discovery(server);

    assertThat(doc.get("rootUrl").asText()).isEqualTo(server.uri().toString()).endsWith("/");
    assertThat(doc.get("servicePath").asText()).isEqualTo("farm/v1/");
    assertThat(doc.get("baseUrl").asText()).isEqualTo(server.uri() + "farm/v1/");
    assertThat(doc.get("id").asText()).isEqualTo("farm:v1");
  }

  @Test
  void usesTheConfiguredPublicUrl(@TempDir Path other) throws Exception {
    try (TestServer s = TestServer.start(other, b -> b.publicUrl("https://farm.example/api"))) {
      JsonNode doc = discovery(s);

      assertThat(doc.get("rootUrl").asText()).isEqualTo("https://farm.example/api/");
      // The session URI and media links are built on it too.
      RawHttp.Response initiated = s.client().request("POST",
          "/upload/farm/v1/animals?uploadType=resumable").header("X-Upload-Content-Type",
          "image/png").send();
      assertThat(initiated.header("Location"))
          .startsWith("https://farm.example/api/upload/farm/v1/animals?uploadType=resumable");
    }
  }

  @Test
  void mediaMethodsCarryMediaUploadWithDefaultAcceptAndAParsableMaxSize() throws Exception {
    JsonNode methods = discovery(server).at("/resources/animals/methods");

    for (String name : List.of("insert", "update")) {
      JsonNode upload = methods.get(name).get("mediaUpload");
      assertThat(upload).as(name).isNotNull();
      assertThat(textList(upload.get("accept"))).as(name).containsExactly("*/*");
      // On S3 uploads are capped at 10,000 parts of 8 MiB, and the document says so.
      assertThat(upload.get("maxSize").asText()).as(name)
          .isEqualTo(server.cluster().isPresent() ? "80000MB" : "5TB");
      assertThat(upload.at("/protocols/simple/path").asText()).isNotEmpty();
      assertThat(upload.at("/protocols/resumable/path").asText()).isNotEmpty();
    }
    for (String name : List.of("get", "list", "patch", "delete")) {
      assertThat(methods.get(name).has("mediaUpload")).as(name).isFalse();
    }
  }

  @Test
  void deleteHasNoResponseSoClientsSendNoAlt() throws Exception {
    JsonNode methods = discovery(server).at("/resources/animals/methods");

    assertThat(methods.get("delete").has("response")).isFalse();
    assertThat(methods.get("get").has("response")).isTrue();
  }

  @Test
  void acceptAndMaxSizeFollowTheServersConfiguration(@TempDir Path other) throws Exception {
    try (TestServer mb = TestServer.start(other.resolve("mb"),
            b -> b.accept(List.of("image/*", "video/mp4")).maxUploadSize(3L << 20));
        TestServer odd = TestServer.start(other.resolve("odd"), b -> b.maxUploadSize(1536))) {
      JsonNode upload = discovery(mb).at("/resources/animals/methods/insert/mediaUpload");
      assertThat(textList(upload.get("accept"))).containsExactly("image/*", "video/mp4");
      assertThat(upload.get("maxSize").asText()).isEqualTo("3MB");

      // 1.5KB would crash the Python client's parser: a plain integer instead.
      assertThat(discovery(odd).at("/resources/animals/methods/update/mediaUpload/maxSize")
          .asText()).isEqualTo("1536");
    }
  }

  @Test
  void uploadUrlJoinedAsPlainStringsReachesTheUploadEndpoint() throws Exception {
    JsonNode doc = discovery(server);
    JsonNode insert = doc.at("/resources/animals/methods/insert");
    String url = doc.get("rootUrl").asText() + "upload/" + doc.get("servicePath").asText()
        + insert.get("path").asText() + "?uploadType=media&alt=json";
    byte[] media = FarmTestClient.randomBytes(1000, 1);

    RawHttp.Response response = server.client().request("POST", FarmTestClient.target(url))
        .header("Content-Type", "image/png").body(media).send();

    ProtocolAssert.assertStored(server.client(), FarmTestClient.ok(response), media);
  }

  private static List<String> textList(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
