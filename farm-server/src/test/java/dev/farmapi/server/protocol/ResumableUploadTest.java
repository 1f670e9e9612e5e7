package dev.farmapi.server.protocol;

import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code uploadType=resumable}: initiate, chunks and status queries, completion. */
class ResumableUploadTest {
  static final int K256 = 256 * 1024;

  @RegisterExtension static final TestServer server = TestServer.perClass();

  FarmTestClient farm;

  @BeforeEach
  void newFarm() throws Exception {
    farm = server.clientOfNewFarm();
  }

  static byte[] slice(byte[] media, long first, long end) {
    return Arrays.copyOfRange(media, (int) first, (int) end);
  }

  @Test
  void initiateAnswersExactly200EmptyWithAnAbsoluteSessionUri() throws Exception {
    RawHttp.Response r = farm.request("POST", "/upload/farm/v1/animals?uploadType=resumable")
        .header("X-Upload-Content-Type", "image/png").header("X-Upload-Content-Length", "1000")
        .json("{\"name\":\"Pig\"}").send();

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(r.header("Location"))
        .startsWith(server.uri() + "upload/farm/v1/animals?uploadType=resumable&upload_id=");
  }

  @Test
  void chunksAnswer308WithTheDurableRangeAndTheLastOne200WithTheAnimal() throws Exception {
    byte[] media = FarmTestClient.randomBytes(3 * K256 + 1234, 41);
    String session = farm.initiate("{\"name\":\"Pig\",\"species\":\"pig\"}", "image/png",
        media.length);

    RawHttp.Response before = farm.query(session, media.length);
    RawHttp.Response c1 = farm.putChunk(session, 0, slice(media, 0, K256), media.length);
    RawHttp.Response c2 = farm.putChunk(session, K256, slice(media, K256, 3 * K256),
        media.length);
    RawHttp.Response status = farm.query(session, media.length);
    RawHttp.Response last = farm.putChunk(session, 3 * K256,
        slice(media, 3 * K256, media.length), media.length);

    assertThat(before.status()).isEqualTo(308);
    assertThat(before.header("Range")).isNull(); // no Range: nothing held yet
    assertThat(c1.status()).isEqualTo(308);
    assertThat(c1.header("Range")).isEqualTo("bytes=0-262143");
    assertThat(c1.body()).isEmpty();
    assertThat(c2.header("Range")).isEqualTo("bytes=0-786431");
    assertThat(status.status()).isEqualTo(308);
    assertThat(status.header("Range")).isEqualTo("bytes=0-786431");
    JsonNode animal = FarmTestClient.ok(last);
    assertThat(animal.get("name").asText()).isEqualTo("Pig");
    assertThat(animal.get("species").asText()).isEqualTo("pig");
    assertThat(animal.get("mediaContentType").asText()).isEqualTo("image/png");
    assertStored(farm, animal, media);
    assertThat(farm.listIds()).containsExactly(animal.get("id").asText());
  }

  @Test
  void initiationWithoutMetadataMakesAnAnimalWithoutName() throws Exception {
    byte[] media = FarmTestClient.randomBytes(1000, 42);
    String session = farm.initiate(null, "image/png", media.length);

    JsonNode animal = FarmTestClient.ok(farm.putChunk(session, 0, media, media.length));

    assertThat(animal.has("name")).isFalse();
    assertStored(farm, animal, media);
  }

  @Test
  void statusQueryWithUnknownTotalReportsTheRange() throws Exception {
    byte[] media = FarmTestClient.randomBytes(2 * K256, 43);
    String session = farm.initiate(null, "image/png", media.length);
    farm.putChunk(session, 0, slice(media, 0, K256), media.length);

    RawHttp.Response status = farm.query(session, -1); // bytes */*

    assertThat(status.status()).isEqualTo(308);
    assertThat(status.header("Range")).isEqualTo("bytes=0-262143");
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, K256,
        slice(media, K256, media.length), media.length)), media);
  }

  @Test
  void emptyFinalChunkOfThePythonClientFinalizesAnUnknownSizeUpload() throws Exception {
    byte[] media = FarmTestClient.randomBytes(2 * K256, 44);
    String session = farm.initiate(null, "image/png", -1);

    RawHttp.Response c1 = farm.putChunk(session, 0, slice(media, 0, K256), -1);
    RawHttp.Response c2 = farm.putChunk(session, K256, slice(media, K256, 2 * K256), -1);
    RawHttp.Response empty = farm.anonymous("PUT", session)
        .header("Content-Range", "bytes 524288-524287/524288")
        .header("Content-Length", "0").body(new byte[0]).send();

    assertThat(c1.header("Range")).isEqualTo("bytes=0-262143");
    assertThat(c2.header("Range")).isEqualTo("bytes=0-524287");
    assertStored(farm, FarmTestClient.ok(empty), media);
  }

  @Test
  void unknownSizeUploadIsFinalizedByAChunkCarryingTheTotal() throws Exception {
    byte[] media = FarmTestClient.randomBytes(K256 + 5000, 45);
    String session = farm.initiate(null, "image/png", -1);

    RawHttp.Response c1 = farm.putChunk(session, 0, slice(media, 0, K256), -1);
    RawHttp.Response last = farm.putChunk(session, K256, slice(media, K256, media.length),
        media.length);

    assertThat(c1.status()).isEqualTo(308);
    assertStored(farm, FarmTestClient.ok(last), media);
  }

  @Test
  void unknownSizeUploadIsFinalizedByAStatusQueryWhoseTotalEqualsTheHeldBytes()
      throws Exception {
    byte[] media = FarmTestClient.randomBytes(2 * K256, 46);
    String session = farm.initiate("{\"name\":\"Hen\"}", "image/png", -1);
    farm.putChunk(session, 0, slice(media, 0, K256), -1);
    farm.putChunk(session, K256, slice(media, K256, 2 * K256), -1);

    JsonNode animal = FarmTestClient.ok(farm.query(session, media.length));

    assertThat(animal.get("name").asText()).isEqualTo("Hen");
    assertStored(farm, animal, media);
  }

  @Test
  void zeroByteUploadCompletesByQueryOrByEmptyChunk() throws Exception {
    String byQuery = farm.initiate(null, "image/png", 0);
    String byChunk = farm.initiate(null, "image/png", 0);

    JsonNode a = FarmTestClient.ok(farm.query(byQuery, 0));
    JsonNode b = FarmTestClient.ok(farm.anonymous("PUT", byChunk)
        .header("Content-Range", "bytes 0--1/0").body(new byte[0]).send());

    assertStored(farm, a, new byte[0]);
    assertStored(farm, b, new byte[0]);
  }

  @Test
  void smallUploadMayUseAnyChunkSize() throws Exception {
    byte[] media = FarmTestClient.randomBytes(200_000, 47);
    String session = farm.initiate(null, "image/png", media.length);

    RawHttp.Response c1 = farm.putChunk(session, 0, slice(media, 0, 70_001), media.length);
    RawHttp.Response c2 = farm.putChunk(session, 70_001, slice(media, 70_001, 133_333),
        media.length);
    RawHttp.Response last = farm.putChunk(session, 133_333, slice(media, 133_333,
        media.length), media.length);

    assertThat(c1.header("Range")).isEqualTo("bytes=0-70000");
    assertThat(c2.header("Range")).isEqualTo("bytes=0-133332");
    assertStored(farm, FarmTestClient.ok(last), media);
  }
}
