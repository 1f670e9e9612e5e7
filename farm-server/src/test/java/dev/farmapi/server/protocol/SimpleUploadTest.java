package dev.farmapi.server.protocol;

import static dev.farmapi.server.testing.ProtocolAssert.assertError;
import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code uploadType=media}: the raw bytes as the body. */
class SimpleUploadTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();

  FarmTestClient farm;

  @BeforeEach
  void newFarm() throws Exception {
    farm = server.clientOfNewFarm();
  }

  @Test
  void insertsAnAnimalWithoutNameHoldingExactlyTheBody() throws Exception {
    byte[] media = FarmTestClient.randomBytes(3 * 1024 * 1024 + 17, 21);

    JsonNode animal = farm.insertSimple(media, "image/png");

    assertThat(animal.get("kind").asText()).isEqualTo("farm#animal");
    assertThat(animal.has("name")).isFalse();
    assertThat(animal.get("mediaContentType").asText()).isEqualTo("image/png");
    assertThat(animal.get("mediaSize").isTextual()).isTrue(); // int64 as a string
    assertThat(animal.get("mediaLink").asText())
        .isEqualTo(server.uri() + "farm/v1/animals/" + animal.get("id").asText() + "?alt=media");
    assertStored(farm, animal, media);
    assertThat(farm.listIds()).containsExactly(animal.get("id").asText());
  }

  @Test
  void storesAZeroByteBody() throws Exception {
    JsonNode animal = farm.insertSimple(new byte[0], "text/plain");

    assertStored(farm, animal, new byte[0]);
  }

  @Test
  void withoutContentTypeTheMediaIsOctetStream() throws Exception {
    byte[] media = "no type".getBytes(StandardCharsets.US_ASCII);

    JsonNode animal = FarmTestClient.ok(farm.request("POST",
        "/upload/farm/v1/animals?uploadType=media").body(media).send());

    assertThat(animal.get("mediaContentType").asText()).isEqualTo("application/octet-stream");
    assertStored(farm, animal, media);
  }

  @Test
  void chunkedTransferEncodingBodyIsStoredExactly() throws Exception {
    byte[] media = FarmTestClient.randomBytes(100_000, 22);
    java.io.ByteArrayOutputStream chunked = new java.io.ByteArrayOutputStream();
    for (int at = 0; at < media.length; at += 30_000) {
      int n = Math.min(30_000, media.length - at);
      chunked.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      chunked.write(media, at, n);
      chunked.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    chunked.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

    JsonNode animal = FarmTestClient.ok(farm.request("POST",
            "/upload/farm/v1/animals?uploadType=media")
        .header("Content-Type", "image/png").header("Transfer-Encoding", "chunked")
        .body(chunked.toByteArray()).send());

    assertStored(farm, animal, media);
  }

  @Test
  void updateReplacesTheMediaAndReclaimsTheOldBytes() throws Exception {
    byte[] before = FarmTestClient.randomBytes(50_000, 23);
    byte[] after = FarmTestClient.randomBytes(70_000, 24);
    JsonNode pig = FarmTestClient.ok(farm.request("POST",
            "/upload/farm/v1/animals?uploadType=multipart")
        .header("Content-Type", "multipart/related; boundary=b")
        .body(FarmTestClient.multipart("b", "\r\n", "{\"name\":\"Pig\"}", before, "image/png"))
        .send());
    assertStored(farm, pig, before);
    int blobs = server.blobFiles().size();
    String id = pig.get("id").asText();

    JsonNode updated = FarmTestClient.ok(farm.request("PUT",
            "/upload/farm/v1/animals/" + id + "?uploadType=media")
        .header("Content-Type", "image/jpeg").body(after).send());

    assertThat(updated.get("id").asText()).isEqualTo(id);
    assertThat(updated.get("name").asText()).isEqualTo("Pig"); // metadata kept
    assertThat(updated.get("mediaContentType").asText()).isEqualTo("image/jpeg");
    assertStored(farm, updated, after);
    assertThat(server.blobFiles()).hasSize(blobs);
    assertThat(farm.listIds()).containsExactly(id);
  }

  @Test
  void updateOfAMissingAnimalIs404AndStoresNothing() throws Exception {
    int blobs = server.blobFiles().size();

    RawHttp.Response r = farm.request("PUT", "/upload/farm/v1/animals/nope?uploadType=media")
        .header("Content-Type", "image/png").body(new byte[1000]).send();

    assertError(r, 404, "notFound");
    assertThat(server.blobFiles()).hasSize(blobs);
    assertThat(farm.listIds()).isEmpty();
  }

  @Test
  void missingOrUnknownUploadTypeIs400() throws Exception {
    assertError(farm.request("POST", "/upload/farm/v1/animals").header("Content-Type",
        "image/png").body(new byte[10]).send(), 400, "required");
    assertError(farm.request("POST", "/upload/farm/v1/animals?uploadType=chunky")
        .header("Content-Type", "image/png").body(new byte[10]).send(), 400, "invalidParameter");

    assertThat(farm.listIds()).isEmpty();
  }

  @Test
  void malformedMediaTypeIs400() throws Exception {
    RawHttp.Response r = farm.request("POST", "/upload/farm/v1/animals?uploadType=media")
        .header("Content-Type", "not a type").body(new byte[10]).send();

    assertError(r, 400, "invalidMediaType");
    assertThat(farm.listIds()).isEmpty();
  }
}
