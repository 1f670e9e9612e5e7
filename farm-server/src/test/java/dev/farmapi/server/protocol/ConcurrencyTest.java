package dev.farmapi.server.protocol;

import static dev.farmapi.server.protocol.ResumableUploadTest.K256;
import static dev.farmapi.server.protocol.ResumableUploadTest.slice;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests that race: on one session they are serialized; different sessions do not mix. */
class ConcurrencyTest {
  @TempDir static Path dir;
  static TestServer server;
  static ExecutorService pool;

  FarmTestClient farm;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(dir);
    pool = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void stop() throws Exception {
    pool.shutdownNow();
    server.close();
  }

  @BeforeEach
  void newFarm() throws Exception {
    farm = server.clientOfNewFarm();
  }

  @Test
  void aPutArrivingWhileAnotherIsMidBodyWaitsAndThenSkipsWhatTheFirstWrote() throws Exception {
    byte[] media = FarmTestClient.randomBytes(4 * K256, 91);
    String session = farm.initiate(null, "image/png", media.length);
    // The second client resends from 0 with different bytes where the first one writes.
    byte[] second = slice(media, 0, 2 * K256);
    java.util.Arrays.fill(second, 0, K256, (byte) 0x33);
    long onDisk = server.blobBytes();
    List<Future<RawHttp.Response>> racer = new ArrayList<>();

    RawHttp.Response first = farm.anonymous("PUT", session)
        .header("Content-Range", "bytes 0-262143/" + media.length)
        .body(slice(media, 0, K256))
        .sendInTwoParts(K256 / 2, () -> {
          // The server is inside the first PUT's body (its bytes reach the disk): it holds the
          // session. Now the second PUT comes.
          await().atMost(Duration.ofSeconds(20)).until(() -> server.blobBytes() > onDisk);
          racer.add(pool.submit(() -> farm.putChunk(session, 0, second, media.length)));
          Thread.sleep(200); // give it time to reach the server; either order is correct
        });
    RawHttp.Response overlapping = racer.get(0).get();

    assertThat(first.status()).isEqualTo(308);
    assertThat(first.header("Range")).isEqualTo("bytes=0-262143");
    assertThat(overlapping.status()).isEqualTo(308);
    assertThat(overlapping.header("Range")).isEqualTo("bytes=0-524287");
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, 2 * K256,
        slice(media, 2 * K256, media.length), media.length)), media);
  }

  @Test
  void twoClientsDrivingOneSessionSeeTheOffsetOnlyGrowAndGetOneAnimal() throws Exception {
    byte[] media = FarmTestClient.randomBytes(8 * K256 + 4321, 92);
    String session = farm.initiate("{\"name\":\"Twin\"}", "image/png", media.length);

    Future<Driven> a = pool.submit(() -> drive(session, media));
    Future<Driven> b = pool.submit(() -> drive(session, media));

    for (Driven d : List.of(a.get(), b.get())) {
      for (int i = 1; i < d.offsets.size(); i++) {
        assertThat(d.offsets.get(i)).as("offsets seen: %s", d.offsets)
            .isGreaterThanOrEqualTo(d.offsets.get(i - 1));
      }
      assertThat(d.offsets).allSatisfy(o -> assertThat(o % K256 == 0 || o == media.length)
          .as("offset %s", o).isTrue());
    }
    assertThat(a.get().animal.get("id")).isEqualTo(b.get().animal.get("id"));
    assertThat(farm.listIds()).containsExactly(a.get().animal.get("id").asText());
    assertStored(farm, a.get().animal, media);
  }

  private record Driven(List<Long> offsets, JsonNode animal) {}

  /** A client that sends 256 KiB chunks from whatever offset the server reports. */
  private Driven drive(String session, byte[] media) throws Exception {
    List<Long> offsets = new ArrayList<>();
    long from = 0;
    while (true) {
      long end = Math.min(media.length, from + K256);
      RawHttp.Response r = farm.putChunk(session, from, slice(media, from, end), media.length);
      if (r.status() == 200) {
        offsets.add((long) media.length);
        return new Driven(offsets, r.json());
      }
      assertThat(r.status()).as("%s", r).isEqualTo(308);
      String range = r.header("Range");
      from = range == null ? 0 : Long.parseLong(range.substring("bytes=0-".length())) + 1;
      offsets.add(from);
    }
  }

  @Test
  void manySessionsAtOnceEachGetExactlyTheirOwnBytes() throws Exception {
    int sessions = 16;
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      byte[] media = FarmTestClient.randomBytes(2 * K256 + 1000 * i, 100 + i);
      all.add(CompletableFuture.runAsync(() -> {
        try {
          JsonNode animal = farm.uploadResumable("{\"name\":\"n\"}", media, K256);
          assertStored(farm, animal, media);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }, pool));
    }

    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();

    assertThat(farm.listIds()).hasSize(sessions);
  }
}
