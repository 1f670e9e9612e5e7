package dev.farmapi.server.protocol;

import static dev.farmapi.server.protocol.ResumableUploadTest.K256;
import static dev.farmapi.server.protocol.ResumableUploadTest.slice;
import static dev.farmapi.server.testing.ProtocolAssert.assertError;
import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.FaultyBlobStore;
import dev.farmapi.server.testing.FaultyMetadataStore.Write;
import dev.farmapi.server.testing.FaultyMetadataStore;
import dev.farmapi.server.testing.InProcessOnly;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.ReliabilityReport;
import dev.farmapi.server.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;

/**
 * The server's own storage fails under real HTTP requests: the blob disk fills up, an fsync or
 * a new blob's commit fails, a SQLite write fails with SQLITE_FULL or SQLITE_IOERR. Every time
 * the client gets a 503 Google-style error it will retry, nothing is claimed that is not
 * durable, no partial animal appears, the server goes on serving, and once the fault clears the
 * same session resumes and completes with exactly the source's bytes.
 */
@InProcessOnly("its stores wrapped in fault-injecting stores of this JVM")
class StoreFaultsTest {
  @TempDir static Path dir;
  static TestServer server;
  static FaultyBlobStore blobs;
  static FaultyMetadataStore meta;
  static final ReliabilityReport report = new ReliabilityReport("StoreFaultsTest");

  FarmTestClient farm;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(dir, b -> b,
        real -> blobs = new FaultyBlobStore(real), real -> meta = new FaultyMetadataStore(real));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    report.add("faultsFired", blobs.fired() + meta.fired());
    report.write();
  }

  @BeforeEach
  void newFarm() throws Exception {
    farm = server.clientOfNewFarm();
  }

  @AfterEach
  void mend() {
    blobs.clearAll();
    meta.clearAll();
  }

  @Test
  void diskFullMidChunkIs503AndTheSameSessionResumesOnceSpaceReturns() throws Exception {
    byte[] media = FarmTestClient.randomBytes(4 * K256 + 777, 301);
    String session = farm.initiate("{\"name\":\"Full\"}", "image/png", media.length);
    assertRange(farm.putChunk(session, 0, slice(media, 0, K256), media.length), K256);

    arm(() -> blobs.fillDisk(100_000)); // the chunk gets partly written, then ENOSPC
    failed(farm.putChunk(session, K256, slice(media, K256, 2 * K256), media.length), 503,
        "insufficientStorage");
    assertRange(farm.query(session, media.length), K256); // a query writes nothing: it works
    failed(farm.putChunk(session, K256, slice(media, K256, 2 * K256), media.length), 503,
        "insufficientStorage"); // still full
    assertStillServing();

    blobs.clearAll();
    assertCompletes(session, media, K256);
  }

  @Test
  void failedFsyncNeverReportsTheUnsyncedBytes() throws Exception {
    byte[] media = FarmTestClient.randomBytes(3 * K256, 302);
    String session = farm.initiate(null, "image/png", media.length);
    assertRange(farm.putChunk(session, 0, slice(media, 0, K256), media.length), K256);

    arm(() -> blobs.arm(FaultyBlobStore.Fault.SYNC));
    failed(farm.putChunk(session, K256, slice(media, K256, 2 * K256), media.length), 503,
        "backendError");

    // The bytes reached the file but not the disk's promise: the offset stays where it was.
    assertThat(server.blobBytes()).isGreaterThanOrEqualTo(2L * K256);
    assertRange(farm.query(session, media.length), K256);
    assertStillServing();

    blobs.clearAll();
    assertCompletes(session, media, K256);
  }

  @Test
  void failedCommitOfANewBlobClaimsNothingAndTheSessionStartsOverFromZero() throws Exception {
    byte[] media = FarmTestClient.randomBytes(2 * K256 + 99, 303);
    String session = farm.initiate(null, "image/png", media.length);

    arm(() -> blobs.arm(FaultyBlobStore.Fault.COMMIT));
    failed(farm.putChunk(session, 0, slice(media, 0, K256), media.length), 503, "backendError");
    RawHttp.Response status = farm.query(session, media.length);
    assertThat(status.status()).isEqualTo(308);
    assertThat(status.header("Range")).as("nothing is held").isNull();
    assertStillServing();

    blobs.clearAll();
    assertCompletes(session, media, 0);
  }

  @Test
  void failedProgressWriteKeepsTheRecordedOffset() throws Exception {
    byte[] media = FarmTestClient.randomBytes(3 * K256 + 5, 304);
    String session = farm.initiate(null, "image/png", media.length);
    assertRange(farm.putChunk(session, 0, slice(media, 0, K256), media.length), K256);

    arm(() -> meta.fail(Write.UPDATE_PROGRESS, SQLiteErrorCode.SQLITE_FULL));
    failed(farm.putChunk(session, K256, slice(media, K256, 2 * K256), media.length), 503,
        "insufficientStorage");
    assertRange(farm.query(session, media.length), K256);
    arm(() -> meta.fail(Write.UPDATE_PROGRESS, SQLiteErrorCode.SQLITE_IOERR));
    failed(farm.putChunk(session, K256, slice(media, K256, 2 * K256), media.length), 503,
        "backendError");
    assertRange(farm.query(session, media.length), K256);
    assertStillServing();

    meta.clearAll();
    assertCompletes(session, media, K256);
  }

  @Test
  void failedCompletionCreatesNoAnimalAndALaterQueryOrResendCompletesItOnce() throws Exception {
    byte[] media = FarmTestClient.randomBytes(2 * K256 + 4000, 305);
    String session = farm.initiate("{\"name\":\"Last\"}", "image/png", media.length);
    assertRange(farm.putChunk(session, 0, slice(media, 0, K256), media.length), K256);

    arm(() -> meta.fail(Write.COMPLETE_SESSION, SQLiteErrorCode.SQLITE_IOERR));
    byte[] last = slice(media, K256, media.length);
    failed(farm.putChunk(session, K256, last, media.length), 503, "backendError");
    assertThat(farm.listIds()).as("no partial animal").isEmpty();
    // Every byte is durable now, so a status query tries to complete: while the fault holds it
    // fails the same way, and still creates nothing.
    failed(farm.query(session, media.length), 503, "backendError");
    assertThat(farm.listIds()).isEmpty();
    assertStillServing();

    meta.clearAll();
    JsonNode animal = FarmTestClient.ok(farm.query(session, media.length));
    assertStored(farm, animal, media);
    JsonNode again = FarmTestClient.ok(farm.putChunk(session, K256, last, media.length));
    assertThat(again.get("id")).isEqualTo(animal.get("id"));
    assertThat(farm.listIds()).containsExactly(animal.get("id").asText());
    assertThat(animal.get("name").asText()).isEqualTo("Last");
    report.count("sessionsRecovered");
  }

  @Test
  void simpleAndMultipartUploadsFailCleanlyUnderEveryFaultAndWorkOnceItClears()
      throws Exception {
    byte[] media = FarmTestClient.randomBytes(300_000, 306);
    List<Runnable> faults = List.of(
        () -> blobs.fillDisk(50_000),
        () -> blobs.arm(FaultyBlobStore.Fault.SYNC),
        () -> blobs.arm(FaultyBlobStore.Fault.COMMIT),
        () -> meta.fail(Write.INSERT_ANIMAL, SQLiteErrorCode.SQLITE_FULL));
    List<String> reasons =
        List.of("insufficientStorage", "backendError", "backendError", "insufficientStorage");
    List<Path> blobsBefore = server.blobFiles();

    for (int i = 0; i < faults.size(); i++) {
      arm(faults.get(i));
      failed(farm.request("POST", "/upload/farm/v1/animals?uploadType=media")
          .header("Content-Type", "image/png").body(media).send(), 503, reasons.get(i));
      failed(farm.request("POST", "/upload/farm/v1/animals?uploadType=multipart")
          .header("Content-Type", "multipart/related; boundary=b0undary")
          .body(FarmTestClient.multipart("b0undary", "\r\n", "{\"name\":\"M\"}", media,
              "image/png"))
          .send(), 503, reasons.get(i));
      assertThat(farm.listIds()).as("no partial animal").isEmpty();
      assertThat(server.blobFiles()).as("no staged bytes left behind")
          .containsExactlyElementsOf(blobsBefore);
      assertStillServing();
      mend();
    }

    assertStored(farm, farm.insertSimple(media, "image/png"), media);
    assertStored(farm, farm.insertMultipart("{\"name\":\"M\"}", media, "image/png"), media);
    report.add("uploadsVerified", 2);
  }

  // ---- helpers

  private static void arm(Runnable fault) {
    fault.run();
    report.count("faultsArmed");
  }

  private static void failed(RawHttp.Response response, int status, String reason) {
    assertError(response, status, reason);
    report.count("answered5xx");
  }

  private static void assertRange(RawHttp.Response response, long held) {
    assertThat(response.status()).as("%s", response).isEqualTo(308);
    assertThat(response.header("Range")).isEqualTo("bytes=0-" + (held - 1));
  }

  /** Requests that need no write still work while a fault holds. */
  private void assertStillServing() throws Exception {
    RawHttp.Response health = farm.anonymous("GET", "/healthz").send();
    assertThat(health.status()).isEqualTo(200);
    assertThat(farm.request("GET", "/farm/v1/animals").send().status()).isEqualTo(200);
  }

  /** Sends the rest from {@code from} in 256 KiB chunks, checks the bytes and one animal. */
  private void assertCompletes(String session, byte[] media, long from) throws Exception {
    RawHttp.Response last = null;
    for (long first = from; first < media.length; first += K256) {
      long end = Math.min(media.length, first + K256);
      last = farm.putChunk(session, first, slice(media, first, end), media.length);
    }
    JsonNode animal = FarmTestClient.ok(last);
    assertStored(farm, animal, media);
    assertThat(farm.listIds()).containsExactly(animal.get("id").asText());
    report.count("sessionsRecovered");
    report.add("uploadsVerified", 1);
  }
}
