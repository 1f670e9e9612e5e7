package dev.farmapi.server.interop;

import static dev.farmapi.server.interop.StoredMedia.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.ApiKeys;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Farm API's other methods through google-api-python-client 1.7.12 (update with media,
 * get_media with MediaIoBaseDownload, list and list_next, patch, delete), and the checks the
 * client makes from our discovery document's {@code mediaUpload} before it sends anything.
 */
class PythonClientResourcesInteropTest extends PythonInterop {

  @Test
  void updateWithResumableMediaReplacesThePictureAndTheName() throws IOException {
    JsonNode before = client.insertMultipart("{\"name\": \"Pig\"}", png(8, 8), "image/png");
    byte[] media = writeRandom("bigger-pig.png", 3 * CHUNK_256K + 5);

    PythonRunner.Result result = python.run("animals.py", "update", before.get("id").asText(),
        "bigger-pig.png", "Big Pig", "image/png", Integer.toString(CHUNK_256K));

    JsonNode after = result.json().get("animal");
    assertThat(after.get("id").asText()).isEqualTo(before.get("id").asText());
    assertStored(client, after, media, "Big Pig", "image/png");
    assertThat(result.exchanges()).containsExactly(
        "PUT -> 200", // the initiation, at upload/farm/v1/animals/{id}?uploadType=resumable
        "PUT bytes 0-262143/786437 -> 308",
        "PUT bytes 262144-524287/786437 -> 308",
        "PUT bytes 524288-786431/786437 -> 308",
        "PUT bytes 786432-786436/786437 -> 200");
    assertThat(result.requests("PUT").get(0).path("path").asText())
        .isEqualTo("upload/farm/v1/animals/" + before.get("id").asText());
    assertThat(result.json().get("progress")).extracting(JsonNode::asLong)
        .containsExactly(262144L, 524288L, 786432L);
  }

  /** {@code whoami} is a method of the API itself, outside any resource, as oauth2's tokeninfo. */
  @Test
  void whoamiIsAMethodOfTheServiceItself() {
    PythonRunner.Result result = python.run("animals.py", "whoami");

    JsonNode whoami = result.json().get("whoami");
    assertThat(whoami.get("kind").asText()).isEqualTo("farm#whoami");
    assertThat(whoami.get("farm").asText()).isEqualTo(server.adminFarm());
    assertThat(whoami.get("keyId").asText()).isEqualTo(ApiKeys.idOf(server.adminKey()).orElseThrow());
    assertThat(whoami.get("readOnly").asBoolean()).isFalse();
    assertThat(result.exchanges()).containsExactly("GET -> 200");
  }

  @Test
  void getMediaWithMediaIoBaseDownloadReturnsIdenticalBytes() throws IOException {
    byte[] media = FarmTestClient.randomBytes(3 * MIB + 12345, 7);
    String id = client.uploadResumable("{\"name\": \"Pig\"}", media, CHUNK_1M).get("id").asText();

    PythonRunner.Result result = python.run("animals.py", "download", id, "downloaded.png",
        Integer.toString(CHUNK_256K));

    byte[] downloaded = Files.readAllBytes(work().resolve("downloaded.png"));
    assertThat(FarmTestClient.sha256(downloaded)).isEqualTo(FarmTestClient.sha256(media));
    // The client asks for 'bytes=P-(P+chunksize)', an inclusive range: chunksize + 1 bytes.
    List<Long> progress = new ArrayList<>();
    result.json().get("progress").forEach(p -> progress.add(p.asLong()));
    assertThat(progress).isSorted().doesNotHaveDuplicates().last().isEqualTo((long) media.length);
    assertThat(progress.get(0)).isEqualTo(CHUNK_256K + 1L);
    assertThat(result.json().get("total").asLong()).isEqualTo(media.length);
    assertThat(result.exchanges()).hasSize(progress.size()).allMatch(e -> e.equals("GET -> 206"));
    assertThat(result.text()).last().isEqualTo("Download 100%.");
  }

  @Test
  void listAndListNextPageThroughEveryAnimalInOrder() throws IOException {
    List<String> ids = new ArrayList<>();
    for (String name : List.of("Pig", "Cow", "Hen", "Goat", "Duck")) {
      ids.add(FarmTestClient.ok(client.request("POST", "/farm/v1/animals")
          .json("{\"name\": \"" + name + "\"}").send()).get("id").asText());
    }

    PythonRunner.Result result = python.run("animals.py", "list", "2");

    List<List<String>> pages = new ArrayList<>();
    result.json().get("pages").forEach(page -> {
      List<String> ofPage = new ArrayList<>();
      page.forEach(id -> ofPage.add(id.asText()));
      pages.add(ofPage);
    });
    assertThat(pages).containsExactly(ids.subList(0, 2), ids.subList(2, 4), ids.subList(4, 5));
  }

  @Test
  void patchChangesTheNameAndKeepsSpeciesAndPicture() throws IOException {
    byte[] pig = png(20, 20);
    String id = client.insertMultipart("{\"name\": \"Pig\", \"species\": \"Sus domesticus\"}",
        pig, "image/png").get("id").asText();

    PythonRunner.Result result = python.run("animals.py", "patch", id, "Porky");

    assertThat(result.json().get("animal").get("name").asText()).isEqualTo("Porky");
    JsonNode stored = assertStored(client, result.json().get("animal"), pig, "Porky",
        "image/png");
    assertThat(stored.get("species").asText()).isEqualTo("Sus domesticus");
    assertThat(result.exchanges()).containsExactly("PATCH -> 200");
  }

  @Test
  void deleteThenGetIsHttpError404() throws IOException {
    String id = client.insertSimple(png(4, 4), "image/png").get("id").asText();

    PythonRunner.Result result = python.run("animals.py", "delete", id);

    assertThat(result.json().get("get_after_delete").asInt()).isEqualTo(404);
    assertThat(result.exchanges()).containsExactly("DELETE -> 204", "GET -> 404");
    assertThat(client.get(id).status()).isEqualTo(404);
  }

  /**
   * Our discovery document's {@code mediaUpload.accept} and {@code maxSize} (a whole number of
   * KB, or a plain integer) as the client reads them: a file name of a type outside accept, or
   * media larger than maxSize, is refused before any request is sent. Media exactly at maxSize
   * passes both the client's check and the server's.
   */
  @ParameterizedTest(name = "maxUploadSize={0} is maxSize \"{1}\"")
  @CsvSource({"65536, 64KB", "100000, 100000"})
  void clientRefusesWhatTheDiscoveryDocumentForbidsBeforeSendingAnything(int maxSize,
      String maxSizeText) throws IOException {
    try (TestServer strict = TestServer.start(dir.resolve("strict"),
        b -> b.accept(List.of("image/*")).maxUploadSize(maxSize))) {
      JsonNode mediaUpload = FarmTestClient.ok(strict.client()
              .anonymous("GET", "/discovery/v1/apis/farm/v1/rest").send())
          .at("/resources/animals/methods/insert/mediaUpload");
      assertThat(mediaUpload.get("accept").toString()).isEqualTo("[\"image/*\"]");
      assertThat(mediaUpload.get("maxSize").asText()).isEqualTo(maxSizeText);
      byte[] largest = writeRandom("largest.png", maxSize);
      writeRandom("too-big.png", maxSize + 1);
      write("notes.txt", "oink\n".getBytes(StandardCharsets.UTF_8));

      JsonNode checks = PythonRunner.against(strict, work())
          .run("media_checks.py", "largest.png", "notes.txt", "too-big.png").json();

      assertThat(checks.at("/accepted/sent").asInt()).isEqualTo(1);
      assertStored(strict.client(), checks.at("/accepted/animal"), largest, "Accepted",
          "image/png");
      assertThat(checks.get("unacceptable_type").toString()).isEqualTo(
          "{\"error\":\"UnacceptableMimeTypeError\",\"message\":\"text/plain\",\"sent\":0}");
      String tooBig = "{\"error\":\"MediaUploadSizeError\",\"message\":\"Media larger than: "
          + maxSize + "\",\"sent\":0}";
      assertThat(checks.get("too_big_by_name").toString()).isEqualTo(tooBig);
      assertThat(checks.get("too_big_resumable").toString()).isEqualTo(tooBig);
      // A MediaUpload object skips the client's accept check: the server's 415 stops it.
      assertThat(checks.get("unacceptable_type_as_media").toString())
          .isEqualTo("{\"error\":\"HttpError\",\"sent\":1,\"status\":415}");
    }
  }
}
