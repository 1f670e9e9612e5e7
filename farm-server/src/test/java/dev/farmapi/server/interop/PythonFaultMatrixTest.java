package dev.farmapi.server.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.server.testing.FarmTestClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fault matrix, the real google-api-python-client 1.7.12's half (our client's half is
 * apiclient's {@code FaultMatrixTest}): every fault the server can inject, on each upload mode,
 * one Python process per mode running all its cells (fault_matrix.py). What it pins:
 *
 * <ul>
 *   <li>every upload the client reports complete stored exactly the source's bytes;
 *   <li>a resumable upload never makes a second animal, and one that fails leaves none;
 *   <li>every failure is an error the application sees (an exception), never silence.
 * </ul>
 *
 * <p>What it records (it cannot fix the client): a one-request insert whose 200 is lost may
 * fail although its animal was made (an orphan the application does not know of), or be sent
 * again and make a second animal: the Python client sends no {@code Idempotency-Key}. The
 * counts go to {@code target/reliability/fault-matrix-python.json}.
 */
class PythonFaultMatrixTest extends PythonInterop {
  static final int SIZE = 1_153_434; // 1.1 MiB: four 256 KiB chunks and an odd fifth
  static final String INSERT = "farm.animals.insert";
  static final String PASS = "stall-for-0s-after-0K";
  static final ObjectMapper JSON = new ObjectMapper();
  /** Errors a failed cell may end with: the exceptions next_chunk/execute raise. */
  static final Set<String> CLEAR_ERRORS = Set.of("HttpError", "ConnectionResetError",
      "BrokenPipeError", "IncompleteRead", "timeout", "RemoteDisconnected",
      "ConnectionAbortedError");
  static final ArrayNode rows = JSON.createArrayNode();
  static long nanos;

  /** The faults, stalls first: a stalled request may act late, and the final count sees it. */
  static List<String> faults() {
    List<String> faults = new ArrayList<>(List.of("stall-for-2s-after-100K",
        "stall-for-2s-after-700K"));
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

  record Cell(int n, String fault, String mode, String name, String test, byte[] bytes) {
    boolean resumable() {
      return mode.startsWith("resumable");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"simple", "multipart", "resumable", "resumable_unknown"})
  void everyUploadTheClientCompletesHoldsTheSourceBytesAndFailuresAreLoud(String mode)
      throws IOException {
    long start = System.nanoTime();
    List<Cell> cells = new ArrayList<>();
    ArrayNode spec = JSON.createArrayNode();
    for (String fault : faults()) {
      int n = cells.size() + 1;
      boolean resumable = mode.startsWith("resumable");
      String test = resumable ? client.retryTest(INSERT, PASS, PASS, fault)
          : client.retryTest(INSERT, fault);
      Cell cell = new Cell(n, fault, mode, mode.equals("simple") ? null : "goat-" + n, test,
          writeRandom("cell-" + n + ".png", SIZE + n)); // a size of its own: found by MD5
      cells.add(cell);
      spec.addObject().put("cell", n).put("mode", mode).put("file", "cell-" + n + ".png")
          .put("name", cell.name()).put("test", test);
    }
    Files.writeString(work().resolve("cells.json"), spec.toString());

    PythonRunner.Result result = python.run("fault_matrix.py", "cells.json");

    Map<Integer, JsonNode> outcomes = new HashMap<>();
    result.stdout().stream().filter(l -> l.startsWith("{")).map(PythonFaultMatrixTest::parse)
        .forEach(o -> outcomes.put(o.get("cell").asInt(), o));
    Map<String, List<String>> animalsByMd5 = animalsByMd5();
    for (Cell cell : cells) {
      rows.add(check(cell, outcomes.get(cell.n()), animalsByMd5));
    }
    nanos += System.nanoTime() - start;
  }

  private ObjectNode check(Cell cell, JsonNode outcome, Map<String, List<String>> animalsByMd5)
      throws IOException {
    assertThat(outcome).as("cell %s printed its outcome", cell).isNotNull();
    List<String> made = animalsByMd5.getOrDefault(StoredMedia.md5Base64(cell.bytes()), List.of());
    for (String id : made) { // whatever was made, known to the client or not, is exact
      assertThat(FarmTestClient.sha256(client.download(id))).as("%s: animal %s", cell, id)
          .isEqualTo(FarmTestClient.sha256(cell.bytes()));
    }
    JsonNode left = client.request("GET", "/retry_test/" + cell.test()).send().json()
        .path("instructions").path(INSERT);
    assertThat(left.toString()).as("%s: the fault fired", cell).doesNotContain(cell.fault());
    ObjectNode row = JSON.createObjectNode().put("fault", cell.fault()).put("mode", cell.mode())
        .put("faultFired", !left.toString().contains(cell.fault()))
        .put("animalsMade", made.size());
    row.set("errorsSurvived", outcome.get("errors"));
    if (outcome.hasNonNull("animal")) {
      StoredMedia.assertStored(client, outcome.get("animal"), cell.bytes(), cell.name(),
          "image/png");
      assertThat(made).as("%s: the animal the client got", cell)
          .contains(outcome.get("animal").get("id").asText());
      row.put("outcome", "completed");
    } else {
      String type = outcome.path("error").path("type").asText();
      assertThat(CLEAR_ERRORS).as("%s failed with %s", cell, outcome.get("error")).contains(type);
      assertThat(cell.resumable()).as("%s: the guide's next_chunk() loop recovers from every"
          + " fault, yet it failed with %s", cell, outcome.get("error")).isFalse();
      assertThat(cell.fault()).as("%s: execute(num_retries) gives up only on what 1.7.12 does"
              + " not retry (a 4xx, ECONNRESET, a cut answer); it failed with %s", cell,
              outcome.get("error"))
          .matches("return-408|return-reset-connection|return-broken-stream-final-chunk.*");
      row.put("outcome", "failed").set("error", outcome.get("error"));
    }
    if (!outcome.hasNonNull("animal") || made.size() != 1) {
      row.set("requests", outcome.get("requests")); // what the client did, for the record
    }
    if (cell.resumable()) {
      assertThat(made).as("%s: animals made by a resumable upload", cell)
          .hasSize(outcome.hasNonNull("animal") ? 1 : 0);
    }
    return row;
  }

  private Map<String, List<String>> animalsByMd5() throws IOException {
    Map<String, List<String>> byMd5 = new HashMap<>();
    client.request("GET", "/farm/v1/animals?maxResults=1000").send().json().path("items")
        .forEach(a -> byMd5.computeIfAbsent(a.path("md5Hash").asText(), k -> new ArrayList<>())
            .add(a.get("id").asText()));
    return byMd5;
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }

  @AfterAll
  static void writeSummary() throws IOException {
    int completed = 0;
    int failed = 0;
    int fired = 0;
    int duplicates = 0;
    int orphans = 0;
    long bytes = 0;
    for (JsonNode row : rows) {
      boolean done = row.get("outcome").asText().equals("completed");
      int made = row.get("animalsMade").asInt();
      completed += done ? 1 : 0;
      failed += done ? 0 : 1;
      fired += row.get("faultFired").asBoolean() ? 1 : 0;
      duplicates += Math.max(0, made - 1);
      orphans += done ? 0 : Math.min(made, 1);
      bytes += done ? SIZE : 0;
    }
    ObjectNode summary = JSON.createObjectNode().put("client", "google-api-python-client 1.7.12")
        .put("cells", rows.size()).put("faultsInjected", fired)
        .put("uploadsVerified", completed).put("bytesVerified", bytes)
        .put("failuresWithClearError", failed).put("duplicates", duplicates)
        .put("orphansOfFailedUploads", orphans).put("wallSeconds", nanos / 1e9);
    summary.set("cells_detail", rows);
    Path out = Files.createDirectories(Path.of("target", "reliability"))
        .resolve("fault-matrix-python.json");
    Files.writeString(out, summary.toPrettyString());
    System.out.println("fault matrix (python): " + summary.deepCopy().without("cells_detail"));
  }
}
