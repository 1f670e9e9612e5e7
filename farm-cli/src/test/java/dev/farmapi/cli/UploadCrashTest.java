package dev.farmapi.cli;

import static dev.farmapi.cli.UploadFixture.KIB_256;
import static dev.farmapi.server.testing.FarmTestClient.randomBytes;
import static dev.farmapi.server.testing.FarmTestClient.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farm upload} as a user runs it, in a process of its own against a {@code farm serve}
 * process: killed with SIGKILL in the middle of an upload, then run again with the same command
 * line, it resumes from the server's offset, sends only the rest, and the server ends up with
 * the file's exact bytes. Its stdout and stderr are pipes, as in a script.
 */
class UploadCrashTest {
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern RESUMING = Pattern.compile("(?m)^Resuming at (.+) of (.+)$");
  private static final Pattern PROGRESS = Pattern.compile(
      "Uploading big\\.bin: [0-9.]+ \\S+ of [0-9.]+ MiB \\((\\d+)%\\), [0-9.]+ \\S+/s");

  @TempDir static Path shared;
  private static ServeProcess serve;

  @TempDir Path dir;
  private Path cache;

  @BeforeAll
  static void startServer() throws IOException {
    serve = ServeProcess.start(shared.resolve("data"), shared.resolve("serve.log"));
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    serve.close();
  }

  @BeforeEach
  void setUp() {
    cache = dir.resolve("cache");
  }

  @ParameterizedTest(name = "kill point from seed {0}")
  @ValueSource(longs = {7, 1913})
  void killedMidUploadTheSameCommandResumesAndStoresTheExactBytes(long seed) throws Exception {
    Random random = new Random(seed);
    int size = 24 * KIB_256 + random.nextInt(KIB_256); // 6 MiB and some: 25 chunks of 256 KiB
    Path file = Files.write(dir.resolve("big.bin"), randomBytes(size, seed));
    int dieInChunk = 2 + random.nextInt(20); // chunks before it went through
    int dieAtKib = 16 + random.nextInt(224); // KiB into the chunk the server then stalls on
    // The stall holds the upload still at a known point until the kill.
    String test = serve.client().retryTest("farm.animals.insert", passThen(dieInChunk + 1,
        "stall-for-3s-after-" + dieAtKib + "K"));
    List<String> command = upload(file, "--header", "x-retry-test-id: " + test);
    long before = serve.receivedBytes();
    int animals = ids().size();

    try (CliProcess first = CliProcess.start(env(), command)) {
      long stalledAt = before + (long) dieInChunk * KIB_256 + dieAtKib * 1024L;
      await("the upload to reach the stall").atMost(RUN_TIMEOUT)
          .pollInterval(Duration.ofMillis(20)).until(serve::receivedBytes, n -> n >= stalledAt);
      assertThat(savedOffset()).isEqualTo((long) dieInChunk * KIB_256);
      assertThat(first.kill9()).as("exit status of a SIGKILLed farm upload")
          .isEqualTo(ServeProcess.SIGKILL_EXIT);
    }
    // Between the runs: 'farm uploads list' shows the upload it left.
    CliRun list = CliRun.of("uploads", "list", "--server", serve.uri().toString(),
        "--cache-dir", cache.toString());
    assertThat(list.out()).contains(file.toString())
        .contains(Sizes.format((long) dieInChunk * KIB_256) + " of " + Sizes.format(size));
    long beforeRerun = serve.receivedBytes();

    try (CliProcess second = CliProcess.start(env(), command)) {
      assertThat(second.waitFor(RUN_TIMEOUT)).as("%s", second).isZero();

      Matcher resuming = RESUMING.matcher(second.err());
      assertThat(resuming.find()).as("%s", second).isTrue();
      // The server holds the chunks acknowledged before the kill, and maybe the stalled one.
      assertThat(resuming.group(1)).isIn(Sizes.format((long) dieInChunk * KIB_256),
          Sizes.format((dieInChunk + 1L) * KIB_256));
      assertThat(resuming.group(2)).isEqualTo(Sizes.format(size));
      long rest = size - (long) dieInChunk * KIB_256;
      assertThat(serve.receivedBytes() - beforeRerun)
          .as("bytes the rerun sent (plus what was left of the stalled chunk)")
          .isBetween(rest - KIB_256, rest + KIB_256);
      String id = UploadFixture.idOfSummary(second.out());
      assertThat(sha256(serve.client().download(id))).isEqualTo(sha256(Files.readAllBytes(file)));
      assertThat(ids()).as("one animal, made by the rerun").hasSize(animals + 1).contains(id);
      assertPlainProgressLines(second.err());
    }
    assertThat(UploadCache.locate(cache).all()).as("a completed upload is forgotten").isEmpty();
  }

  @Test
  void aFileTouchedAfterTheKillStartsOver() throws Exception {
    int size = 12 * KIB_256 + 1;
    Path file = Files.write(dir.resolve("big.bin"), randomBytes(size, 3));
    String test = serve.client().retryTest("farm.animals.insert",
        passThen(5, "stall-for-3s-after-64K"));
    List<String> command = upload(file, "--header", "x-retry-test-id: " + test);
    UploadCache.Entry killed;
    try (CliProcess first = CliProcess.start(env(), command)) {
      await().atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(20))
          .until(this::savedOffset, offset -> offset == 4L * KIB_256);
      first.kill9();
      killed = UploadCache.locate(cache).all().get(0);
    }
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    long beforeRerun = serve.receivedBytes();

    try (CliProcess second = CliProcess.start(env(), command)) {
      assertThat(second.waitFor(RUN_TIMEOUT)).as("%s", second).isZero();

      assertThat(second.err()).contains("big.bin changed since its upload began (it was 3.0 MiB);"
          + " starting over").doesNotContain("Resuming");
      assertThat(serve.receivedBytes() - beforeRerun).isBetween((long) size, size + (long) KIB_256);
      String id = UploadFixture.idOfSummary(second.out());
      assertThat(sha256(serve.client().download(id))).isEqualTo(sha256(Files.readAllBytes(file)));
    }
    await("the old session's stalled chunk to end").atMost(RUN_TIMEOUT).until(() ->
        serve.client().query(FarmTestClient.target(killed.session().sessionUri().toString()),
            size).status() == 404);
  }

  @Test
  void pipedOutputIsPlainProgressLinesAndTheAnimalAsJson() throws Exception {
    int size = 8 * KIB_256 + 11;
    Path file = Files.write(dir.resolve("big.bin"), randomBytes(size, 4));
    // Three chunks pause a second each: an upload of a few seconds, long enough for a line or two.
    String test = serve.client().retryTest("farm.animals.insert",
        passThen(2, "stall-for-1s-after-128K", "stall-for-1s-after-128K",
            "stall-for-1s-after-128K"));

    try (CliProcess run = CliProcess.start(env(),
        upload(file, "--json", "--name", "Piped Pig", "--header", "x-retry-test-id: " + test))) {
      assertThat(run.waitFor(RUN_TIMEOUT)).as("%s", run).isZero();

      JsonNode printed = UploadFixture.json(run.out());
      String id = printed.path("id").asText();
      assertThat(printed).isEqualTo(FarmTestClient.ok(serve.client().get(id)));
      assertThat(printed.path("name").asText()).isEqualTo("Piped Pig");
      assertThat(sha256(serve.client().download(id))).isEqualTo(sha256(Files.readAllBytes(file)));
      List<String> lines = assertPlainProgressLines(run.err());
      assertThat(lines).hasSizeGreaterThanOrEqualTo(2); // one every 2 s, and the last
    }
  }

  // ---- helpers

  /** {@code farm upload FILE} against the server with 256 KiB chunks and the test's cache. */
  private List<String> upload(Path file, String... more) {
    List<String> args = new ArrayList<>(List.of("upload", file.toString(),
        "--server", serve.uri().toString(), "--key", serve.adminKey(), "--chunk-size", "256K"));
    Collections.addAll(args, more);
    return args;
  }

  /** The child's cache is this test's: through the environment, as a user would set it. */
  private Map<String, String> env() {
    return Map.of("FARM_CACHE_DIR", cache.toString());
  }

  private static String[] passThen(int passes, String... faults) {
    List<String> all = new ArrayList<>(Collections.nCopies(passes, "stall-for-0s-after-0K"));
    Collections.addAll(all, faults);
    return all.toArray(String[]::new);
  }

  /** The offset saved in the cache, -1 before anything was saved. */
  private long savedOffset() throws IOException {
    List<UploadCache.Entry> entries = UploadCache.locate(cache).all();
    return entries.isEmpty() ? -1 : entries.get(0).session().offset();
  }

  private static List<String> ids() throws IOException {
    return serve.client().listIds();
  }

  /** Progress on stderr is lines (no bar, no escapes), rising to 100%; returns them. */
  private static List<String> assertPlainProgressLines(String stderr) {
    assertThat(stderr).doesNotContain("\r").doesNotContain("\u001b");
    List<String> lines = stderr.lines().filter(l -> l.startsWith("Uploading ")).toList();
    assertThat(lines).isNotEmpty().allMatch(l -> PROGRESS.matcher(l).matches());
    List<Integer> percents = lines.stream().map(l -> {
      Matcher m = PROGRESS.matcher(l);
      m.matches();
      return Integer.parseInt(m.group(1));
    }).toList();
    assertThat(percents).isSorted().last().isEqualTo(100);
    return lines;
  }
}
