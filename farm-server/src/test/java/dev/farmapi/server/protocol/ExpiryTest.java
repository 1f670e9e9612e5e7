package dev.farmapi.server.protocol;

import static dev.farmapi.server.protocol.ResumableUploadTest.K256;
import static dev.farmapi.server.protocol.ResumableUploadTest.slice;
import static dev.farmapi.server.testing.ProtocolAssert.assertError;
import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sessions that live 2 s: after that, 404, and the bytes of unfinished ones are reclaimed. */
class ExpiryTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final TestServer server = TestServer.perClass(b -> b.sessionTtl(Duration.ofSeconds(2)));

  @Test
  void expiredSessionAnswers404AndItsStagingBlobIsDeleted() throws Exception {
    FarmTestClient farm = server.clientOfNewFarm();
    byte[] media = FarmTestClient.randomBytes(2 * K256, 151);
    List<Path> before = server.blobFiles();
    String session = farm.initiate(null, "image/png", media.length);
    RawHttp.Response first = farm.putChunk(session, 0, slice(media, 0, K256), media.length);
    assertThat(first.status()).as("the session is young: %s", first).isEqualTo(308);
    List<Path> staging = new ArrayList<>(server.blobFiles());
    staging.removeAll(before);
    assertThat(staging).hasSize(1);

    await().atMost(WAIT).until(() -> farm.query(session, media.length).status() == 404);
    await().atMost(WAIT).until(() -> !staging.get(0).toFile().exists());

    assertError(farm.query(session, media.length), 404, "notFound");
    assertError(farm.putChunk(session, K256, slice(media, K256, media.length), media.length),
        404, "notFound");
    assertThat(farm.listIds()).isEmpty();
  }

  @Test
  void expiryOfACompletedSessionLeavesItsAnimalsMediaAlone() throws Exception {
    FarmTestClient farm = server.clientOfNewFarm();
    byte[] media = FarmTestClient.randomBytes(K256 + 10, 152);
    String session = farm.initiate(null, "image/png", media.length);
    farm.putChunk(session, 0, slice(media, 0, K256), media.length);
    JsonNode animal = FarmTestClient.ok(farm.putChunk(session, K256,
        slice(media, K256, media.length), media.length));

    await().atMost(WAIT).until(() -> farm.query(session, media.length).status() == 404);
    // The reaper runs every second; give it a turn after the expiry before looking.
    List<Path> blobs = server.blobFiles();
    await().pollDelay(Duration.ofMillis(1500)).atMost(WAIT).until(() -> true);

    assertThat(server.blobFiles()).containsAll(blobs);
    assertStored(farm, animal, media);
  }
}
