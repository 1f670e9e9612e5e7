package dev.farmapi.server.protocol;

import static dev.farmapi.server.protocol.ResumableUploadTest.K256;
import static dev.farmapi.server.protocol.ResumableUploadTest.slice;
import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.ReliabilityReport;
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
  static final ReliabilityReport report = new ReliabilityReport("ConcurrencyTest");

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
    report.write();
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
  void racingDriversAndStatusQueriesSeeTheOffsetOnlyGrowAndGetOneAnimal() throws Exception {
    byte[] media = FarmTestClient.randomBytes(8 * K256 + 4321, 92);
    String session = farm.initiate("{\"name\":\"Twin\"}", "image/png", media.length);

    // Four drivers: two start at 0 (the same offsets), two past the end of what is held (gaps,
    // answered with the true Range), and two threads that only ask for the status.
    List<Future<Driven>> drivers = new ArrayList<>();
    for (long start : new long[] {0, 0, 2 * K256, 5 * K256}) {
      drivers.add(pool.submit(() -> drive(session, media, start)));
    }
    List<Future<Driven>> queriers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      queriers.add(pool.submit(() -> query(session, media.length)));
    }

    List<Driven> all = new ArrayList<>();
    for (Future<Driven> f : drivers) {
      all.add(f.get());
    }
    for (Future<Driven> f : queriers) {
      all.add(f.get());
    }
    JsonNode animal = all.get(0).animal;
    for (Driven d : all) {
      for (int i = 1; i < d.offsets.size(); i++) {
        assertThat(d.offsets.get(i)).as("offsets seen: %s", d.offsets)
            .isGreaterThanOrEqualTo(d.offsets.get(i - 1));
      }
      assertThat(d.offsets).allSatisfy(o -> assertThat(o % K256 == 0 || o == media.length)
          .as("offset %s", o).isTrue());
      assertThat(d.animal.get("id")).isEqualTo(animal.get("id"));
      report.add("racingRequests", d.offsets.size());
    }
    assertThat(farm.listIds()).containsExactly(animal.get("id").asText());
    assertStored(farm, animal, media);
    report.count("racedSessionsVerified");
  }

  private record Driven(List<Long> offsets, JsonNode animal) {}

  /**
   * A client that sends 256 KiB chunks, first from {@code from}, then from whatever offset the
   * server reports; the offsets it records are those the server reported.
   */
  private Driven drive(String session, byte[] media, long from) throws Exception {
    List<Long> offsets = new ArrayList<>();
    while (true) {
      long end = Math.min(media.length, from + K256);
      RawHttp.Response r = farm.putChunk(session, from, slice(media, from, end), media.length);
      if (r.status() == 200) {
        offsets.add((long) media.length);
        return new Driven(offsets, r.json());
      }
      from = held(r);
      offsets.add(from);
    }
  }

  /** A client that only asks for the status until the upload is complete. */
  private Driven query(String session, long total) throws Exception {
    List<Long> offsets = new ArrayList<>();
    while (true) {
      RawHttp.Response r = farm.query(session, total);
      if (r.status() == 200) {
        offsets.add(total);
        return new Driven(offsets, r.json());
      }
      offsets.add(held(r));
    }
  }

  private static long held(RawHttp.Response r) {
    assertThat(r.status()).as("%s", r).isEqualTo(308);
    String range = r.header("Range");
    return range == null ? 0 : Long.parseLong(range.substring("bytes=0-".length())) + 1;
  }

  @Test
  void statusQueryAnswersTheDurableOffsetWhileAChunkStallsHoldingTheSession() throws Exception {
    byte[] media = FarmTestClient.randomBytes(3 * K256, 93);
    // The initiation and the first chunk pass; the second chunk stalls for 4 s after 128 KiB,
    // inside the session's lock.
    String test = farm.retryTest("farm.animals.insert",
        "stall-for-0s-after-0K", "stall-for-0s-after-0K", "stall-for-4s-after-128K");
    String session = FarmTestClient.target(farm.request("POST",
            "/upload/farm/v1/animals?uploadType=resumable")
        .header("X-Upload-Content-Type", "image/png")
        .header("X-Upload-Content-Length", Long.toString(media.length))
        .header("x-retry-test-id", test)
        .json("{}")
        .send().header("Location"));
    assertThat(held(farm.putChunk(session, 0, slice(media, 0, K256), media.length)))
        .isEqualTo(K256);
    long onDisk = server.blobBytes();

    Future<RawHttp.Response> stalled = pool.submit(() ->
        farm.putChunk(session, K256, slice(media, K256, 2 * K256), media.length));
    await().atMost(Duration.ofSeconds(20)).until(() -> server.blobBytes() > onDisk);
    RawHttp.Response status = farm.query(session, media.length);

    assertThat(stalled.isDone()).as("the query was answered while the PUT still stalls").isFalse();
    assertThat(held(status)).as("only what is durable and recorded").isEqualTo(K256);
    assertThat(held(stalled.get())).isEqualTo(2 * K256);
    assertStored(farm, FarmTestClient.ok(farm.putChunk(session, 2 * K256,
        slice(media, 2 * K256, media.length), media.length)), media);
    report.count("queriesAnsweredDuringStall");
  }

  @Test
  void manySessionsAtOnceEachGetExactlyTheirOwnBytes() throws Exception {
    int sessions = 64;
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
    report.add("concurrentUploadsVerified", sessions);
  }
}
