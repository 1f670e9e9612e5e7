package dev.farmapi.apiclient;

import static dev.farmapi.apiclient.testing.TestUploads.assertStored;
import static dev.farmapi.apiclient.testing.TestUploads.insert;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.media.MediaStreamUpload;
import dev.farmapi.apiclient.media.MediaUpload;
import dev.farmapi.apiclient.testing.LiveServer;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault matrix, our client's half: every fault the server can inject, on every upload mode,
 * and each upload completes once with the source's exact bytes. One-request uploads carry an
 * {@code Idempotency-Key}, so a lost 200 (a broken final answer) does not make a second animal.
 * The Python client's half is {@code PythonFaultMatrixTest} in farm-server; both write their
 * counts to {@code target/reliability/fault-matrix-<client>.json}.
 *
 * <p>Where a fault lands: a one-request upload takes it on its only request; a resumable upload
 * lets its initiation and first chunk pass ({@link #PASS}) and takes it on the second 256 KiB
 * chunk, mid-upload. A fault past the chunk's end ({@code after-300K} on a 256 KiB chunk) fires
 * once the whole chunk was read. A broken final answer always lands on the completing request.
 */
class FaultMatrixTest {
  static final int CHUNK = 256 * 1024;
  /** 1.1 MiB: four whole 256 KiB chunks and an odd fifth. */
  static final int SIZE = 1_153_434;
  static final String INSERT = "farm.animals.insert";
  /** A zero-second stall at 0 bytes: fires without effect, letting one request pass. */
  static final String PASS = "stall-for-0s-after-0K";
  /** Longer than the client's idle timeout below, so a stall is a real fault. */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);

  @TempDir static Path dir;
  static LiveServer server;
  static ApiClient client;
  static final AtomicInteger names = new AtomicInteger();
  static final AtomicInteger cells = new AtomicInteger();
  static final AtomicInteger faultsInjected = new AtomicInteger();
  static final AtomicInteger verified = new AtomicInteger();
  static final AtomicLong bytesVerified = new AtomicLong();
  static long started;

  /** The four upload modes. */
  enum Mode {
    SIMPLE, MULTIPART, RESUMABLE_KNOWN_SIZE, RESUMABLE_UNKNOWN_SIZE;

    boolean resumable() {
      return this == RESUMABLE_KNOWN_SIZE || this == RESUMABLE_UNKNOWN_SIZE;
    }

    MediaUpload media(Path file, byte[] bytes) throws IOException {
      return switch (this) {
        case SIMPLE, MULTIPART -> MediaFileUpload.of(file);
        case RESUMABLE_KNOWN_SIZE -> MediaFileUpload.of(file).withChunkSize(CHUNK).resumable();
        // A plain InputStream (not a channel, not markable): its size is unknown and it is
        // read once, so a resume can only go on from the bytes the client still holds.
        case RESUMABLE_UNKNOWN_SIZE -> MediaStreamUpload.of(
            new FilterInputStream(new ByteArrayInputStream(bytes)) {
              @Override
              public boolean markSupported() {
                return false;
              }
            }, "image/png").withChunkSize(CHUNK).resumable();
      };
    }
  }

  /**
   * Every fault instruction of docs/PROTOCOL.md, at several byte counts. Stalls come first: a
   * stalled request may still act once its client gave up on it, and the final count of
   * animals ({@link #writeSummary}) must see that.
   */
  static List<String> faults() {
    List<String> faults = new ArrayList<>();
    faults.add("stall-for-2s-after-100K");
    faults.add("stall-for-2s-after-700K");
    for (String code : List.of("500", "502", "503", "504", "408", "429")) {
      faults.add("return-" + code);
    }
    faults.add("return-reset-connection");
    for (int k : new int[] {0, 1, 100, 256, 300, 700}) {
      faults.add("return-503-after-" + k + "K");
    }
    for (int b : new int[] {0, 10, 100}) {
      faults.add("return-broken-stream-final-chunk-after-" + b + "B");
    }
    return faults;
  }

  static Stream<Arguments> matrix() {
    List<Arguments> cases = new ArrayList<>();
    for (String fault : faults()) {
      for (Mode mode : Mode.values()) {
        cases.add(Arguments.of(fault, mode));
      }
    }
    return cases.stream();
  }

  @BeforeAll
  static void start() throws Exception {
    started = System.nanoTime();
    // The stalled request's connection holds a graceful stop for its whole grace period.
    server = LiveServer.start(dir.resolve("server"), b -> b.shutdownGrace(Duration.ofMillis(100)));
    client = server.clientBuilder().idleTimeout(IDLE_TIMEOUT).build();
  }

  @AfterAll
  static void writeSummary() throws Exception {
    try {
      assertThat(server.animals()).as("animals of the whole matrix: one per cell, none late")
          .hasSize(verified.get());
    } finally {
      server.close();
    }
    ObjectNode summary = new ObjectMapper().createObjectNode()
        .put("client", "apiclient")
        .put("cells", cells.get())
        .put("faultsInjected", faultsInjected.get())
        .put("uploadsVerified", verified.get())
        .put("bytesVerified", bytesVerified.get())
        // Every cell must complete once: a cell that did not is a test failure, counted here.
        .put("failuresWithClearError", 0)
        .put("duplicates", 0)
        .put("cellsThatFailedTheTest", cells.get() - verified.get())
        .put("wallSeconds", (System.nanoTime() - started) / 1e9);
    summary.putArray("faults").addAll(faults().stream()
        .map(f -> summary.textNode(f)).toList());
    summary.putArray("modes").addAll(Stream.of(Mode.values())
        .map(m -> summary.textNode(m.name())).toList());
    Path out = Files.createDirectories(Path.of("target", "reliability"))
        .resolve("fault-matrix-apiclient.json");
    Files.writeString(out, summary.toPrettyString());
    System.out.println("fault matrix (apiclient): " + summary);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("matrix")
  void uploadSurvivesTheFaultOnceWithIdenticalBytes(String fault, Mode mode) throws Exception {
    int cell = cells.incrementAndGet();
    // Media of its own per cell: an animal is attributed to its cell by its MD5.
    byte[] bytes = LiveServer.randomBytes(SIZE, cell);
    Path file = Files.write(dir.resolve("goat-" + cell + ".png"), bytes);
    String name = mode == Mode.SIMPLE ? null : "goat-" + names.incrementAndGet();
    String[] instructions = mode.resumable()
        ? new String[] {PASS, PASS, fault} : new String[] {fault};
    String test = server.retryTest(INSERT, instructions);
    double receivedBefore = server.metric("farm_upload_received_bytes_total");

    JsonNode animal = insert(server, client, name, mode.media(file, bytes), test).build().execute();

    assertStored(server, animal, bytes);
    assertThat(server.retryTestRemaining(test, INSERT)).as("instructions not consumed").isEmpty();
    assertThat(server.animals()).filteredOn(a -> a.path("md5Hash").equals(animal.get("md5Hash")))
        .as("animals made by this upload (no duplicate on a lost 200)")
        .extracting(a -> a.get("id").asText()).containsExactly(animal.get("id").asText());
    if (name != null) {
      assertThat(animal.path("name").asText()).isEqualTo(name);
    }
    if (mode.resumable()) {
      assertThat(server.metric("farm_upload_received_bytes_total") - receivedBefore)
          .as("media bytes the server read: a resume starts where the server's bytes end")
          .isEqualTo(SIZE);
    }
    faultsInjected.incrementAndGet();
    verified.incrementAndGet();
    bytesVerified.addAndGet(SIZE);
    Files.delete(file);
  }
}
