package dev.farmapi.server.protocol;

import static dev.farmapi.server.protocol.ResumableUploadTest.K256;
import static dev.farmapi.server.protocol.ResumableUploadTest.slice;
import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.ChildServer;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.InProcessOnly;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What survives a restart: acknowledged bytes, completed animals; and what does not: bytes past
 * an acknowledged offset and blobs nothing refers to.
 */
@InProcessOnly("its own server to restart or kill on one data folder"
    + " (ClusterFaultsTest kills and restarts cluster nodes)")
class RestartDurabilityTest {
  @TempDir Path dir;

  private static String range(FarmTestClient farm, String session, long total) throws Exception {
    RawHttp.Response r = farm.query(session, total);
    assertThat(r.status()).as("%s", r).isEqualTo(308);
    return r.header("Range");
  }

  @Test
  void sessionResumesAtItsOffsetAndCompletedAnimalsStay() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      FarmTestClient farm = server.clientOfNewFarm();
      byte[] done = FarmTestClient.randomBytes(70_000, 161);
      JsonNode animal = farm.insertSimple(done, "image/png");
      byte[] media = FarmTestClient.randomBytes(3 * K256 + 3, 162);
      String session = farm.initiate("{\"name\":\"Pig\"}", "image/png", media.length);
      farm.putChunk(session, 0, slice(media, 0, 2 * K256), media.length);

      server.restart();
      farm = farm.on(server.uri());

      assertThat(range(farm, session, media.length)).isEqualTo("bytes=0-524287");
      assertStored(farm, FarmTestClient.ok(farm.get(animal.get("id").asText())), done);
      JsonNode pig = FarmTestClient.ok(farm.putChunk(session, 2 * K256,
          slice(media, 2 * K256, media.length), media.length));
      assertThat(pig.get("name").asText()).isEqualTo("Pig");
      assertStored(farm, pig, media);

      server.restart(); // completion is durable, and still idempotent
      farm = farm.on(server.uri());
      assertThat(FarmTestClient.ok(farm.query(session, media.length)).get("id"))
          .isEqualTo(pig.get("id"));
      assertThat(farm.listIds()).hasSize(2);
    }
  }

  @Test
  void bytesPastTheAcknowledgedOffsetAreCutAtRestart() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      FarmTestClient farm = server.clientOfNewFarm();
      byte[] media = FarmTestClient.randomBytes(2 * K256, 163);
      String session = farm.initiate(null, "image/png", media.length);
      List<Path> before = server.blobFiles();
      farm.putChunk(session, 0, slice(media, 0, K256), media.length);
      List<Path> staging = new ArrayList<>(server.blobFiles());
      staging.removeAll(before);
      Path blob = staging.get(0);

      // A crash in the middle of writing the next chunk: bytes on disk, never acknowledged.
      server.restart(data -> Files.write(blob, FarmTestClient.randomBytes(10_000, 164),
          StandardOpenOption.APPEND));
      farm = farm.on(server.uri());

      assertThat(Files.size(blob)).isEqualTo(K256);
      assertThat(range(farm, session, media.length)).isEqualTo("bytes=0-262143");
      assertStored(farm, FarmTestClient.ok(farm.putChunk(session, K256,
          slice(media, K256, media.length), media.length)), media);
    }
  }

  @Test
  void orphanBlobsAreDeletedAtRestartAndReferencedOnesKept() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      FarmTestClient farm = server.clientOfNewFarm();
      byte[] done = FarmTestClient.randomBytes(5000, 165);
      JsonNode animal = farm.insertSimple(done, "image/png");
      byte[] media = FarmTestClient.randomBytes(2 * K256, 166);
      String session = farm.initiate(null, "image/png", media.length);
      farm.putChunk(session, 0, slice(media, 0, K256), media.length);
      List<Path> kept = server.blobFiles();
      Path orphan = server.dataDir().resolve("blobs/zz/zzOrphanOfACrashedUpload0");

      server.restart(data -> {
        Files.createDirectories(orphan.getParent());
        Files.write(orphan, new byte[1234]);
      });
      farm = farm.on(server.uri());

      assertThat(orphan).doesNotExist();
      assertThat(server.blobFiles()).containsExactlyInAnyOrderElementsOf(kept);
      assertStored(farm, animal, done);
      assertStored(farm, FarmTestClient.ok(farm.putChunk(session, K256,
          slice(media, K256, media.length), media.length)), media);
    }
  }

  @Test
  void strayFilesInTheBlobFolderDoNotStopTheServer() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      FarmTestClient farm = server.clientOfNewFarm();
      byte[] media = FarmTestClient.randomBytes(5000, 168);
      JsonNode animal = farm.insertSimple(media, "image/png");
      Path stray = server.dataDir().resolve("blobs/zz/.zzSomething.swp");

      // An editor's swap file, a copy someone left: not blobs the server made.
      server.restart(data -> {
        Files.createDirectories(stray.getParent());
        Files.write(stray, new byte[3]);
      });
      farm = farm.on(server.uri());

      assertStored(farm, animal, media);
      assertThat(stray).exists(); // not ours to delete
    }
  }

  @Test
  void acknowledgedBytesSurviveKillDashNineMidChunk() throws Exception {
    byte[] media = FarmTestClient.randomBytes(3 * K256, 167);
    String session;
    String key;
    AtomicReference<Long> blobSizeAtKill = new AtomicReference<>();
    try (ChildServer child = ChildServer.start(dir)) {
      key = Files.readString(dir.resolve("admin.key")).trim();
      FarmTestClient farm = FarmTestClient.of(child.uri(), key);
      session = farm.initiate(null, "image/png", media.length);
      assertThat(farm.putChunk(session, 0, slice(media, 0, K256), media.length)
          .header("Range")).isEqualTo("bytes=0-262143");
      long acknowledged = blobBytes(dir);

      // The next chunk is half sent when the server process is killed.
      try {
        farm.anonymous("PUT", session)
            .header("Content-Range", "bytes 262144-524287/" + media.length)
            .body(slice(media, K256, 2 * K256))
            .sendInTwoParts(K256 / 2, () -> {
              await().atMost(Duration.ofSeconds(20)).until(() -> blobBytes(dir) > acknowledged);
              blobSizeAtKill.set(blobBytes(dir));
              child.kill();
            });
      } catch (java.io.IOException expected) {
        // the server died mid-request: no answer
      }
    }
    assertThat(blobSizeAtKill.get()).isGreaterThan((long) K256);

    try (TestServer server = TestServer.start(dir)) {
      FarmTestClient farm = server.client();
      String held = range(farm, session, media.length);

      assertThat(held).isEqualTo("bytes=0-262143");
      assertThat(blobBytes(dir)).isEqualTo(K256);
      farm.putChunk(session, K256, slice(media, K256, 2 * K256), media.length);
      assertStored(farm, FarmTestClient.ok(farm.putChunk(session, 2 * K256,
          slice(media, 2 * K256, media.length), media.length)), media);
    }
  }

  private static long blobBytes(Path dataDir) throws java.io.IOException {
    try (var files = Files.walk(dataDir.resolve("blobs"))) {
      long sum = 0;
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        sum += Files.size(f);
      }
      return sum;
    }
  }
}
