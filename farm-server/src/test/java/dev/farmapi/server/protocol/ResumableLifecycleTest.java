package dev.farmapi.server.protocol;

import static dev.farmapi.server.protocol.ResumableUploadTest.K256;
import static dev.farmapi.server.protocol.ResumableUploadTest.slice;
import static dev.farmapi.server.testing.ProtocolAssert.assertError;
import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A session's life: cancel, idempotent completion, unknown ids, and updates of an animal. */
class ResumableLifecycleTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();

  FarmTestClient farm;

  @BeforeEach
  void newFarm() throws Exception {
    farm = server.clientOfNewFarm();
  }

  @Test
  void cancelAnswers499EmptyThenTheSessionAndItsBytesAreGone() throws Exception {
    byte[] media = FarmTestClient.randomBytes(2 * K256, 61);
    long onDisk = server.blobBytes();
    String session = farm.initiate(null, "image/png", media.length);
    farm.putChunk(session, 0, slice(media, 0, K256), media.length);
    assertThat(server.blobBytes()).isEqualTo(onDisk + K256);

    RawHttp.Response cancel = farm.anonymous("DELETE", session).send();

    assertThat(cancel.status()).isEqualTo(499);
    assertThat(cancel.body()).isEmpty();
    assertThat(server.blobBytes()).isEqualTo(onDisk);
    assertError(farm.query(session, media.length), 404, "notFound");
    assertError(farm.putChunk(session, K256, slice(media, K256, 2 * K256), media.length), 404,
        "notFound");
    assertError(farm.anonymous("DELETE", session).send(), 404, "notFound");
    assertThat(farm.listIds()).isEmpty();
  }

  @Test
  void completionIsIdempotentForAResentFinalChunkAndALaterStatusQuery() throws Exception {
    byte[] media = FarmTestClient.randomBytes(K256 + 100, 62);
    String session = farm.initiate("{\"name\":\"Pig\"}", "image/png", media.length);
    farm.putChunk(session, 0, slice(media, 0, K256), media.length);
    byte[] lastChunk = slice(media, K256, media.length);
    JsonNode first = FarmTestClient.ok(farm.putChunk(session, K256, lastChunk, media.length));

    JsonNode resent = FarmTestClient.ok(farm.putChunk(session, K256, lastChunk, media.length));
    JsonNode queried = FarmTestClient.ok(farm.query(session, media.length));
    JsonNode queriedUnknown = FarmTestClient.ok(farm.query(session, -1));
    JsonNode fromZero = FarmTestClient.ok(farm.putChunk(session, 0, media, media.length));

    for (JsonNode again : new JsonNode[] {resent, queried, queriedUnknown, fromZero}) {
      assertThat(again.get("id").asText()).isEqualTo(first.get("id").asText());
      assertThat(again.get("etag").asText()).isEqualTo(first.get("etag").asText());
    }
    assertThat(farm.listIds()).containsExactly(first.get("id").asText());
    assertStored(farm, first, media);
  }

  @Test
  void unknownOrMalformedUploadIdIs404() throws Exception {
    String[] ids = {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "", "..%2F..%2Fetc%2Fpasswd", "%00",
        "x".repeat(5000), "%C3%A9t%C3%A9", "a%20b"};
    for (String id : ids) {
      RawHttp.Response r = farm.anonymous("PUT",
              "/upload/farm/v1/animals?uploadType=resumable&upload_id=" + id)
          .header("Content-Range", "bytes */*").body(new byte[0]).send();
      assertError(r, 404, "notFound");
    }
  }

  @Test
  void resumableUpdateReplacesTheMediaOfTheAnimal() throws Exception {
    byte[] old = FarmTestClient.randomBytes(40_000, 63);
    byte[] media = FarmTestClient.randomBytes(2 * K256 + 99, 64);
    JsonNode pig = farm.insertMultipart("{\"name\":\"Pig\"}", old, "image/png");
    assertStored(farm, pig, old);
    String id = pig.get("id").asText();
    int blobs = server.blobFiles().size();

    RawHttp.Response initiated = farm.request("PUT",
            "/upload/farm/v1/animals/" + id + "?uploadType=resumable")
        .header("X-Upload-Content-Type", "image/webp")
        .header("X-Upload-Content-Length", Integer.toString(media.length))
        .json("{\"name\":\"Babe\"}").send();
    assertThat(initiated.status()).isEqualTo(200);
    assertThat(initiated.header("Location")).startsWith(server.uri() + "upload/farm/v1/animals/"
        + id + "?uploadType=resumable&upload_id=");
    String session = FarmTestClient.target(initiated.header("Location"));
    farm.putChunk(session, 0, slice(media, 0, 2 * K256), media.length);
    // Until the upload completes, the animal keeps its old picture.
    assertStored(farm, FarmTestClient.ok(farm.get(id)), old);
    JsonNode updated = FarmTestClient.ok(farm.putChunk(session, 2 * K256,
        slice(media, 2 * K256, media.length), media.length));

    assertThat(updated.get("id").asText()).isEqualTo(id);
    assertThat(updated.get("name").asText()).isEqualTo("Babe");
    assertThat(updated.get("mediaContentType").asText()).isEqualTo("image/webp");
    assertThat(updated.get("md5Hash").asText()).isNotEqualTo(pig.get("md5Hash").asText());
    assertStored(farm, updated, media);
    assertThat(server.blobFiles()).hasSize(blobs); // the old bytes are reclaimed
    assertThat(farm.listIds()).containsExactly(id);
  }

  @Test
  void updateOfAnAnimalDeletedMidUploadEndsIn404AndCreatesNothing() throws Exception {
    byte[] old = FarmTestClient.randomBytes(1000, 65);
    byte[] media = FarmTestClient.randomBytes(K256 + 10, 66);
    JsonNode pig = farm.insertSimple(old, "image/png");
    assertStored(farm, pig, old);
    String id = pig.get("id").asText();
    RawHttp.Response initiated = farm.request("PUT",
            "/upload/farm/v1/animals/" + id + "?uploadType=resumable")
        .header("X-Upload-Content-Type", "image/png").send();
    String session = FarmTestClient.target(initiated.header("Location"));
    farm.putChunk(session, 0, slice(media, 0, K256), media.length);

    assertThat(farm.request("DELETE", "/farm/v1/animals/" + id).send().status()).isEqualTo(204);
    RawHttp.Response last = farm.putChunk(session, K256, slice(media, K256, media.length),
        media.length);

    assertError(last, 404, "notFound");
    assertError(farm.query(session, media.length), 404, "notFound");
    assertThat(farm.listIds()).isEmpty();
  }

  @Test
  void aCompletedUploadCannotBeCancelled() throws Exception {
    byte[] media = FarmTestClient.randomBytes(5000, 67);
    String session = farm.initiate(null, "image/png", media.length);
    JsonNode animal = FarmTestClient.ok(farm.putChunk(session, 0, media, media.length));

    assertError(farm.anonymous("DELETE", session).send(), 409, "uploadComplete");

    assertThat(FarmTestClient.ok(farm.query(session, media.length)).get("id"))
        .isEqualTo(animal.get("id"));
    assertStored(farm, animal, media);
  }

  @Test
  void resumableUpdateOfAMissingAnimalIs404() throws Exception {
    assertError(farm.request("PUT", "/upload/farm/v1/animals/nobody?uploadType=resumable")
        .header("X-Upload-Content-Type", "image/png").send(), 404, "notFound");
  }

  @Test
  void invalidUploadLengthIs400() throws Exception {
    for (String length : new String[] {"-1", "abc", "99999999999999999999", "1e6"}) {
      assertError(farm.request("POST", "/upload/farm/v1/animals?uploadType=resumable")
          .header("X-Upload-Content-Type", "image/png")
          .header("X-Upload-Content-Length", length).send(), 400, "invalidUploadLength");
    }
  }
}
