package dev.farmapi.apiclient;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.media.MediaInMemoryUpload;
import dev.farmapi.apiclient.testing.LiveServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumableUploadTest {
  @TempDir Path dir;
  LiveServer server;
  ApiClient client;

  @BeforeEach
  void start() throws Exception {
    server = LiveServer.start(dir.resolve("server"));
    client = server.client();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  HttpRequest.Builder<JsonNode> insert(Object body) {
    return client.request("POST", server.uri("farm/v1/animals")).body(body);
  }

  @Test
  void nextChunkLoopReportsProgressAndStoresIdenticalBytes() throws Exception {
    byte[] bytes = LiveServer.randomBytes(3 * 262144 + 12345, 1);
    Path file = Files.write(dir.resolve("pig.png"), bytes);
    MediaFileUpload media = MediaFileUpload.of(file).withChunkSize(262144).resumable();
    HttpRequest<JsonNode> request = insert(Map.of("name", "Pig"))
        .media(media, server.uri("upload/farm/v1/animals")).build();

    List<Integer> percents = new ArrayList<>();
    JsonNode response = null;
    while (response == null) {
      UploadChunk<JsonNode> chunk = request.nextChunk();
      chunk.progress().ifPresent(p -> percents.add((int) (p.progress() * 100)));
      response = chunk.response();
    }

    assertThat(percents).containsExactly(32, 65, 98);
    assertThat(response.get("name").asText()).isEqualTo("Pig");
    assertThat(LiveServer.sha256(server.download(response.get("id").asText())))
        .isEqualTo(LiveServer.sha256(bytes));
  }

  @Test
  void cancelDeletesTheSessionOnTheServerAndEndsTheRequest() throws Exception {
    byte[] bytes = LiveServer.randomBytes(3 * 262144, 3);
    HttpRequest<JsonNode> request = insert(Map.of("name", "Pig"))
        .media(MediaInMemoryUpload.of(bytes, "image/png").withChunkSize(262144).resumable(),
            server.uri("upload/farm/v1/animals"))
        .build();
    request.nextChunk();
    ResumableSession session = request.resumableSession().orElseThrow();

    request.cancel();

    java.net.http.HttpResponse<String> status = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(session.sessionUri())
            .header("Content-Range", "bytes */" + bytes.length)
            .PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(status.statusCode()).isEqualTo(404);
    org.assertj.core.api.Assertions.assertThatThrownBy(request::nextChunk)
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void multipartAndSimpleUploadsStoreIdenticalBytes() throws Exception {
    byte[] bytes = LiveServer.randomBytes(100_000, 2);
    JsonNode multipart = insert(Map.of("name", "Cow"))
        .media(MediaInMemoryUpload.of(bytes, "image/png"), server.uri("upload/farm/v1/animals"))
        .build().execute();
    JsonNode simple = client.request("POST", server.uri("farm/v1/animals"))
        .media(MediaInMemoryUpload.of(bytes, "image/png"), server.uri("upload/farm/v1/animals"))
        .build().execute();

    assertThat(multipart.get("name").asText()).isEqualTo("Cow");
    assertThat(simple.has("name")).isFalse();
    for (JsonNode animal : List.of(multipart, simple)) {
      assertThat(LiveServer.sha256(server.download(animal.get("id").asText())))
          .isEqualTo(LiveServer.sha256(bytes));
    }
  }
}
