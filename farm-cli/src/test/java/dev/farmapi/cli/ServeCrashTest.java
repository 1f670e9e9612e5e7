package dev.farmapi.cli;

import static dev.farmapi.server.testing.FarmTestClient.randomBytes;
import static dev.farmapi.server.testing.FarmTestClient.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real {@code farm serve} process at the worst moments of a resumable upload, then a
 * restart on the same data folder. The promise under test: a byte acknowledged in a 308 Range or
 * a 200 survives; an offset reported after the restart is never past what was sent, and every
 * byte up to it is right (the finished upload's SHA-256 matches the source).
 */
class ServeCrashTest {
  private static final int KIB_256 = 256 * 1024;
  private static final int KIB_512 = 512 * 1024;
  private static final int MIB = 1024 * 1024;

  @TempDir Path tmp;
  private Path data;
  private ServeProcess serve;

  @BeforeEach
  void start() throws IOException {
    data = tmp.resolve("data");
    serve = ServeProcess.start(data, tmp.resolve("serve.log"));
  }

  @AfterEach
  void stop() throws InterruptedException {
    serve.close();
  }

  @Test
  void killBetweenChunksLosesNoAcknowledgedByte() throws Exception {
    byte[] media = randomBytes(3 * MIB + 4_321, 1);
    FarmTestClient farm = serve.client();
    String session = farm.initiate("{\"name\": \"Between Bear\"}", "image/png", media.length);
    long acked = 0;
    for (int i = 0; i < 3; i++) {
      acked = acknowledged(put(farm, session, media, acked, KIB_512));
    }
    assertThat(acked).isEqualTo(3L * KIB_512);

    killAndRestart();

    farm = serve.client();
    assertThat(offset(farm, session, media.length)).isEqualTo(acked);
    assertStored(farm, finish(farm, session, media, acked), media, "Between Bear");
  }

  @Test
  void killWhileTheServerStallsInsideAChunkKeepsOnlyRightBytes() throws Exception {
    byte[] media = randomBytes(3 * MIB + 99, 2);
    FarmTestClient farm = serve.client();
    String session = farm.initiate("{\"name\": \"Stalled Stag\"}", "image/png", media.length);
    long acked = acknowledged(put(farm, session, media, 0, KIB_512));
    String test = retryTest(farm, "stall-for-30s-after-512K");
    byte[] chunk = Arrays.copyOfRange(media, (int) acked, (int) acked + 2 * MIB);
    long before = serve.receivedBytes();

    long sent;
    try (ChunkInFlight inFlight = ChunkInFlight.start(serve.uri(), session, acked, chunk,
        media.length, chunk.length, test)) {
      // The server has read 512 KiB of the chunk and sleeps, holding it, fsync not yet done.
      awaitReceived(before + KIB_512);
      killAndRestart();
      inFlight.awaitEnd();
      sent = inFlight.sent();
    }

    farm = serve.client();
    long offset = offset(farm, session, media.length);
    assertThat(offset).isBetween(acked, acked + sent);
    assertStored(farm, finish(farm, session, media, offset), media, "Stalled Stag");
  }

  @Test
  void killWhileAChunkBodyIsHalfSentKeepsOnlyRightBytes() throws Exception {
    byte[] media = randomBytes(3 * MIB + 7, 3);
    FarmTestClient farm = serve.client();
    String session = farm.initiate("{\"name\": \"Halfway Hare\"}", "image/png", media.length);
    long acked = acknowledged(put(farm, session, media, 0, MIB));
    byte[] chunk = Arrays.copyOfRange(media, (int) acked, (int) acked + 2 * MIB);
    long before = serve.receivedBytes();

    long sent;
    try (ChunkInFlight inFlight = ChunkInFlight.start(serve.uri(), session, acked, chunk,
        media.length, MIB, null)) {
      // Half the body is in the server's blob file, unsynced; the rest never comes.
      awaitReceived(before + MIB);
      killAndRestart();
      inFlight.awaitEnd();
      sent = inFlight.sent();
    }

    farm = serve.client();
    long offset = offset(farm, session, media.length);
    assertThat(offset).isBetween(acked, acked + sent);
    assertStored(farm, finish(farm, session, media, offset), media, "Halfway Hare");
  }

  @Test
  void killAfterTheFinalChunkWasAnsweredKeepsOneCompleteAnimal() throws Exception {
    byte[] media = randomBytes(2 * MIB + 555, 4);
    FarmTestClient farm = serve.client();
    String session = farm.initiate("{\"name\": \"Final Fox\"}", "image/png", media.length);
    JsonNode animal = finish(farm, session, media, 0);
    String id = animal.path("id").asText();

    killAndRestart();

    farm = serve.client();
    // A client that lost the 200 asks again, or resends the last chunk: the same animal.
    JsonNode queried = FarmTestClient.ok(farm.query(session, media.length));
    assertThat(queried.path("id").asText()).isEqualTo(id);
    int lastFirst = (media.length - 1) / KIB_512 * KIB_512;
    JsonNode resent = FarmTestClient.ok(put(farm, session, media, lastFirst, KIB_512));
    assertThat(resent.path("id").asText()).isEqualTo(id);
    JsonNode list = FarmTestClient.ok(farm.request("GET", "/farm/v1/animals").send());
    assertThat(list.path("items")).hasSize(1);
    assertThat(list.path("items").get(0).path("id").asText()).isEqualTo(id);
    assertStored(farm, queried, media, "Final Fox");
  }

  @Test
  void concurrentSessionsAtDifferentOffsetsAllSurviveOneKill() throws Exception {
    FarmTestClient farm = serve.client();
    long[] targets = {0, KIB_256, MIB, 2L * MIB + KIB_256};
    List<Upload> uploads = new ArrayList<>();
    for (int i = 0; i < targets.length; i++) {
      byte[] media = randomBytes(2 * MIB + KIB_512 + 1_000 * i + 1, 10 + i);
      String name = "Herd " + i;
      uploads.add(new Upload(name, media,
          farm.initiate("{\"name\": \"" + name + "\"}", "image/png", media.length)));
    }
    // Interleaved 256 KiB chunks, so that the sessions advance side by side.
    for (boolean progressed = true; progressed; ) {
      progressed = false;
      for (int i = 0; i < uploads.size(); i++) {
        Upload u = uploads.get(i);
        if (u.acked < targets[i]) {
          u.acked = acknowledged(put(farm, u.session, u.media, u.acked, KIB_256));
          progressed = true;
        }
      }
    }
    // One more session has a chunk half-sent when the server dies.
    byte[] inFlightMedia = randomBytes(2 * MIB + 3, 20);
    Upload fifth = new Upload("Herd 4", inFlightMedia,
        farm.initiate("{\"name\": \"Herd 4\"}", "image/png", inFlightMedia.length));
    fifth.acked = acknowledged(put(farm, fifth.session, inFlightMedia, 0, KIB_512));
    long before = serve.receivedBytes();
    long sent;
    try (ChunkInFlight inFlight = ChunkInFlight.start(serve.uri(), fifth.session, fifth.acked,
        Arrays.copyOfRange(inFlightMedia, KIB_512, KIB_512 + MIB), inFlightMedia.length,
        KIB_512, null)) {
      awaitReceived(before + KIB_512);
      killAndRestart();
      inFlight.awaitEnd();
      sent = inFlight.sent();
    }

    FarmTestClient after = serve.client();
    for (int i = 0; i < targets.length; i++) {
      Upload u = uploads.get(i);
      assertThat(u.acked).isEqualTo(targets[i]);
      assertThat(offset(after, u.session, u.media.length)).as(u.name).isEqualTo(u.acked);
    }
    long fifthOffset = offset(after, fifth.session, inFlightMedia.length);
    assertThat(fifthOffset).isBetween(fifth.acked, fifth.acked + sent);
    fifth.acked = fifthOffset;
    uploads.add(fifth);
    ExecutorService pool = Executors.newFixedThreadPool(uploads.size());
    try {
      List<Future<JsonNode>> done = new ArrayList<>();
      for (Upload u : uploads) {
        done.add(pool.submit(() -> finish(after, u.session, u.media, u.acked)));
      }
      for (int i = 0; i < uploads.size(); i++) {
        assertStored(after, done.get(i).get(), uploads.get(i).media, uploads.get(i).name);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void repeatedKillsDuringOneUploadLoseNothing() throws Exception {
    byte[] media = randomBytes(3 * MIB + 999, 5);
    String session = serve.client()
        .initiate("{\"name\": \"Phoenix\"}", "image/png", media.length);
    long acked = 0;
    for (int round = 0; round < 5; round++) {
      FarmTestClient farm = serve.client();
      for (int i = 0; i < 2; i++) {
        acked = acknowledged(put(farm, session, media, acked, KIB_256));
      }
      long sent = 0;
      if (round % 2 == 1) { // every other kill lands in the middle of a chunk
        long before = serve.receivedBytes();
        try (ChunkInFlight inFlight = ChunkInFlight.start(serve.uri(), session, acked,
            Arrays.copyOfRange(media, (int) acked, (int) acked + KIB_512), media.length,
            KIB_256, null)) {
          awaitReceived(before + KIB_256);
          killAndRestart();
          inFlight.awaitEnd();
          sent = inFlight.sent();
        }
      } else {
        killAndRestart();
      }
      long offset = offset(serve.client(), session, media.length);
      assertThat(offset).as("round %d", round).isBetween(acked, acked + sent);
      acked = offset;
    }
    FarmTestClient farm = serve.client();
    assertStored(farm, finish(farm, session, media, acked), media, "Phoenix");
  }

  // ---- helpers

  /** A resumable upload in progress. */
  private static final class Upload {
    final String name;
    final byte[] media;
    final String session;
    long acked;

    Upload(String name, byte[] media, String session) {
      this.name = name;
      this.media = media;
      this.session = session;
    }
  }

  /** SIGKILL, checked to be one, then a new server on the same data folder. */
  private void killAndRestart() throws Exception {
    long pid = serve.pid();
    assertThat(serve.kill9()).as("exit status of a SIGKILLed farm serve")
        .isEqualTo(ServeProcess.SIGKILL_EXIT);
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("pid %d", pid).isEmpty();
    // No shutdown hook ran: a clean close of SQLite would have checkpointed and removed the WAL.
    assertThat(data.resolve("farm.db-wal")).exists();
    serve = ServeProcess.start(data, tmp.resolve("serve.log"));
  }

  private void awaitReceived(long bytes) {
    await("the server to read the chunk").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(serve::receivedBytes, n -> n >= bytes);
  }

  private static RawHttp.Response put(FarmTestClient farm, String session, byte[] media,
      long first, int chunkSize) throws IOException {
    int end = (int) Math.min(media.length, first + chunkSize);
    return farm.putChunk(session, first, Arrays.copyOfRange(media, (int) first, end),
        media.length);
  }

  /** Sends the rest of {@code media} from {@code from} in 512 KiB chunks; the final animal. */
  static JsonNode finish(FarmTestClient farm, String session, byte[] media, long from)
      throws IOException {
    RawHttp.Response last = null;
    for (long first = from; first < media.length; first += KIB_512) {
      last = put(farm, session, media, first, KIB_512);
      if (first + KIB_512 < media.length) {
        assertThat(acknowledged(last)).isEqualTo(first + KIB_512);
      }
    }
    return FarmTestClient.ok(last);
  }

  /** The offset a 308 acknowledges: N+1 of its "Range: bytes=0-N", or 0 without a Range. */
  static long acknowledged(RawHttp.Response response) {
    assertThat(response.status()).as("answer to a non-final chunk: %s", response).isEqualTo(308);
    String range = response.header("Range");
    if (range == null) {
      return 0;
    }
    assertThat(range).startsWith("bytes=0-");
    return Long.parseLong(range.substring("bytes=0-".length())) + 1;
  }

  static long offset(FarmTestClient farm, String session, long total) throws IOException {
    return acknowledged(farm.query(session, total));
  }

  static String retryTest(FarmTestClient farm, String instruction) throws IOException {
    return FarmTestClient.ok(farm.request("POST", "/retry_test")
        .json("{\"instructions\": {\"farm.animals.insert\": [\"" + instruction + "\"]}}")
        .send()).path("id").asText();
  }

  /** The server holds exactly {@code media} for the animal, under {@code name}. */
  static void assertStored(FarmTestClient farm, JsonNode animal, byte[] media, String name)
      throws IOException {
    String id = animal.path("id").asText();
    assertThat(animal.path("mediaSize").asText()).isEqualTo(Integer.toString(media.length));
    assertThat(sha256(farm.download(id))).as("SHA-256 of %s", name).isEqualTo(sha256(media));
    assertThat(FarmTestClient.ok(farm.get(id)).path("name").asText()).isEqualTo(name);
  }
}
