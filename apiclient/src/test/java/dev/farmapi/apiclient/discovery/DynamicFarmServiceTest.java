package dev.farmapi.apiclient.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.HttpError;
import dev.farmapi.apiclient.UploadChunk;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.testing.LiveServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's examples and the Farm API's methods, through a service built from its discovery URL. */
class DynamicFarmServiceTest {
  @TempDir Path dir;
  LiveServer server;
  Service farm;
  Resource animals;

  @BeforeEach
  void start() throws Exception {
    server = LiveServer.start(dir.resolve("server"));
    farm = Discovery.build(server.uri("discovery/v1/apis/farm/v1/rest"), server.client());
    animals = farm.resource("animals");
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void buildsTheServiceFromTheServersDiscoveryUrl() {
    assertThat(farm.name()).isEqualTo("farm");
    assertThat(farm.version()).isEqualTo("v1");
    assertThat(farm.rootUrl()).isEqualTo(server.uri().toString());
    assertThat(farm.baseUrl()).isEqualTo(server.uri() + "farm/v1/");
    assertThat(farm.resourceNames()).containsExactly("animals");
    assertThat(animals.methodNames())
        .containsExactly("insert", "get", "list", "patch", "update", "delete");
  }

  @Test
  void insertsWithAFileNameAndABodyAsTheSeedDoes() throws Exception {
    byte[] bytes = LiveServer.randomBytes(100_000, 1);
    Path pig = Files.write(dir.resolve("pig.png"), bytes);

    JsonNode response = animals.method("insert")
        .mediaBody(pig).body(Map.of("name", "Pig")).execute();

    assertThat(response.get("name").asText()).isEqualTo("Pig");
    assertThat(response.get("mediaContentType").asText()).isEqualTo("image/png");
    assertThat(LiveServer.sha256(server.download(response.get("id").asText())))
        .isEqualTo(LiveServer.sha256(bytes));
  }

  @Test
  void insertsAMediaFileUploadWithAnExplicitMimeType() throws Exception {
    byte[] bytes = LiveServer.randomBytes(70_001, 2);
    Path pig = Files.write(dir.resolve("pig.data"), bytes);
    MediaFileUpload media = MediaFileUpload.of(pig).withMimeType("image/png");

    JsonNode response = animals.method("insert")
        .mediaBody(media).body(Map.of("name", "Pig")).execute();

    assertThat(response.get("mediaContentType").asText()).isEqualTo("image/png");
    assertThat(LiveServer.sha256(server.download(response.get("id").asText())))
        .isEqualTo(LiveServer.sha256(bytes));
  }

  @Test
  void resumableNextChunkLoopReportsProgressUntilTheResponse() throws Exception {
    byte[] bytes = LiveServer.randomBytes(3 * 262144 + 12345, 3);
    Path pig = Files.write(dir.resolve("pig.png"), bytes);
    MediaFileUpload media = MediaFileUpload.of(pig)
        .withMimeType("image/png").withChunkSize(262144).resumable();
    MethodCall request = animals.method("insert").mediaBody(media).body(Map.of("name", "Pig"));

    List<String> printed = new ArrayList<>();
    JsonNode response = null;
    while (response == null) {
      UploadChunk<JsonNode> chunk = request.nextChunk();
      chunk.progress().ifPresent(
          p -> printed.add(String.format("Uploaded %d%%.", (int) (p.progress() * 100))));
      response = chunk.response();
    }

    assertThat(printed).containsExactly("Uploaded 32%.", "Uploaded 65%.", "Uploaded 98%.");
    assertThat(response.get("name").asText()).isEqualTo("Pig");
    assertThat(LiveServer.sha256(server.download(response.get("id").asText())))
        .isEqualTo(LiveServer.sha256(bytes));
  }

  @Test
  void getsPatchesUpdatesAndDeletesAnAnimal() throws Exception {
    String id = animals.method("insert").body(Map.of("name", "Cow")).execute().get("id").asText();

    JsonNode got = animals.method("get").param("id", id).execute();
    JsonNode patched = animals.method("patch").param("id", id)
        .body(Map.of("species", "Bos taurus")).execute();
    JsonNode updated = animals.method("update").param("id", id)
        .body(Map.of("name", "Bull", "species", "Bos taurus")).execute();
    JsonNode deleted = animals.method("delete").param("id", id).execute();

    assertThat(got.get("name").asText()).isEqualTo("Cow");
    assertThat(patched.get("name").asText()).isEqualTo("Cow");
    assertThat(patched.get("species").asText()).isEqualTo("Bos taurus");
    assertThat(updated.get("name").asText()).isEqualTo("Bull");
    assertThat(deleted.isNull()).isTrue(); // 204: no content
    assertThatThrownBy(() -> animals.method("get").param("id", id).execute())
        .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.statusCode()).isEqualTo(404));
  }

  @Test
  void updateWithMediaReplacesThePictureAndMediaUriDownloadsIt() throws Exception {
    String id = animals.method("insert").body(Map.of("name", "Hen")).execute().get("id").asText();
    byte[] bytes = LiveServer.randomBytes(50_000, 4);
    Path picture = Files.write(dir.resolve("hen.jpg"), bytes);

    JsonNode updated = animals.method("update").param("id", id)
        .body(Map.of("name", "Hen")).mediaBody(picture).execute();
    URI media = animals.method("get").param("id", id).mediaUri();

    assertThat(updated.get("mediaContentType").asText()).isEqualTo("image/jpeg");
    assertThat(media).isEqualTo(server.uri("farm/v1/animals/" + id + "?alt=media"));
    HttpResponse<byte[]> download = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(media).header("Authorization", "Bearer " + server.key()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(LiveServer.sha256(download.body())).isEqualTo(LiveServer.sha256(bytes));
  }

  @Test
  void pagesThroughFiveAnimalsTwoAtATime() throws Exception {
    for (String name : List.of("A", "B", "C", "D", "E")) {
      animals.method("insert").body(Map.of("name", name)).execute();
    }

    List<List<String>> pages = new ArrayList<>();
    Optional<MethodCall> call = Optional.of(animals.method("list").param("maxResults", 2));
    while (call.isPresent()) {
      JsonNode page = call.get().execute();
      List<String> names = new ArrayList<>();
      page.path("items").forEach(a -> names.add(a.get("name").asText()));
      pages.add(names);
      call = call.get().next(page);
    }

    assertThat(pages).containsExactly(List.of("A", "B"), List.of("C", "D"), List.of("E"));
  }

  @Test
  void refusesMissingUnknownAndOutOfEnumParametersBeforeSendingAnything() {
    assertThatThrownBy(() -> animals.method("get").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("farm.animals.get: missing required parameter \"id\"");
    assertThatThrownBy(() -> animals.method("list").param("maxResult", 2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("farm.animals.list has no parameter \"maxResult\"; it has"
            + " maxResults, pageToken, alt, fields, key");
    assertThatThrownBy(() -> animals.method("get").param("id", "x").param("alt", "xml").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("farm.animals.get: parameter \"alt\" value \"xml\" is not one of [json, media]");
    assertThatThrownBy(() -> animals.method("list").param("maxResults", "two").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"maxResults\" is of type integer");
    assertThatThrownBy(() -> farm.resource("cows"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service farm has no resource \"cows\"; it has animals");
    assertThatThrownBy(() -> animals.method("remove"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("resource animals has no method \"remove\"; it has"
            + " insert, get, list, patch, update, delete");
  }

  @Test
  void hostileIdsStayOneEscapedPathSegmentAndCannotReachAnotherAnimal() throws Exception {
    String id = animals.method("insert").body(Map.of("name", "Pig")).execute().get("id").asText();

    Map<String, String> escaped = Map.of(
        "a/b c", "a%2Fb%20c",
        id + "/", id + "%2F",
        id + "?alt=json", id + "%3Falt%3Djson",
        id + "#x", id + "%23x",
        id + "/../" + id, id + "%2F..%2F" + id);
    for (Map.Entry<String, String> hostile : escaped.entrySet()) {
      MethodCall delete = animals.method("delete").param("id", hostile.getKey());

      assertThat(delete.build().uri().getRawPath())
          .isEqualTo("/farm/v1/animals/" + hostile.getValue());
      assertThatThrownBy(delete::execute).isInstanceOfSatisfying(HttpError.class,
          e -> assertThat(e.statusCode()).isBetween(400, 499));
    }
    assertThatThrownBy(() -> animals.method("delete").param("id", "..").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"..\"");
    assertThat(animals.method("get").param("id", id).execute().get("name").asText())
        .isEqualTo("Pig");
  }
}
