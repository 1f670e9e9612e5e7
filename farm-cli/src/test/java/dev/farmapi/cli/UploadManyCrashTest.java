package dev.farmapi.cli;

import static dev.farmapi.cli.UploadFixture.KIB_256;
import static dev.farmapi.server.testing.FarmTestClient.randomBytes;
import static dev.farmapi.server.testing.FarmTestClient.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when": {@code farm upload photos/ -j 8} over a folder of 200 files, in a
 * process of its own against a {@code farm serve} process, killed with SIGKILL midway and run
 * again with the same command line. The rerun skips the files finished before the kill, resumes
 * the ones in flight, and every file ends up stored once with its exact bytes; the server
 * received nothing twice beyond a chunk per file that was in flight.
 */
class UploadManyCrashTest {
  private static final int FILES = 200;
  private static final int PARALLEL = 8;

  @TempDir Path dir;

  @Test
  void aFolderOf200FilesKilledMidwayFinishesOnARerunWithNothingSentTwice() throws Exception {
    Random random = new Random(2024);
    Path photos = Files.createDirectories(dir.resolve("photos"));
    Map<String, String> sha = new HashMap<>();
    long total = 0;
    for (int i = 0; i < FILES; i++) {
      // 1 to 3 chunks of 256 KiB each: the kill finds files in every state.
      int size = 20_000 + random.nextInt(2 * KIB_256 + 100_000);
      byte[] bytes = randomBytes(size, i);
      Path sub = Files.createDirectories(photos.resolve("roll" + i % 4));
      Files.write(sub.resolve(String.format("img%03d.jpg", i)), bytes);
      sha.put(String.format("img%03d.jpg", i), sha256(bytes));
      total += size;
    }
    Path cache = dir.resolve("cache");
    try (ServeProcess serve = ServeProcess.start(dir.resolve("data"), dir.resolve("serve.log"))) {
      List<String> command = List.of("upload", photos.toString(), "-j", String.valueOf(PARALLEL),
          "--chunk-size", "256K", "--server", serve.uri().toString(), "--key", serve.adminKey());
      List<String> slow = new ArrayList<>(command);
      slow.addAll(List.of("--limit-rate", "12M")); // a few seconds: time to kill it midway
      Map<String, String> env = Map.of("FARM_CACHE_DIR", cache.toString());

      long killAt = total * 2 / 5;
      try (CliProcess first = CliProcess.start(env, slow)) {
        // Off a terminal, progress is a line every 2 s: the kill waits for the first one too,
        // which 40% of the bytes can precede on a quick machine.
        await("40% of the bytes and a progress line").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> serve.receivedBytes() >= killAt
                && first.err().contains("Uploading 200 files: "));
        assertThat(first.kill9()).isEqualTo(ServeProcess.SIGKILL_EXIT);
      }
      long finishedBefore = count(cache.resolve("uploaded"));
      assertThat(finishedBefore).as("files finished before the kill").isBetween(1L, FILES - 1L);

      try (CliProcess second = CliProcess.start(env, command)) {
        assertThat(second.waitFor(Duration.ofSeconds(120))).as("%s", second).isZero();

        assertThat(second.out().lines().filter(l -> l.startsWith("Skipped ")).count())
            .isEqualTo(finishedBefore);
        assertThat(second.err()).contains("Uploaded " + (FILES - finishedBefore) + " of " + FILES
            + " files (").contains("; skipped " + finishedBefore + ", already uploaded");
        assertThat(second.err().lines().filter(l -> l.startsWith("Uploading 200 files: ")))
            .isNotEmpty().allMatch(l -> l.matches("Uploading 200 files: \\d+ of 200 files, "
                + "[0-9.]+ \\S+ of [0-9.]+ MiB \\(\\d+%\\), [0-9.]+ \\S+/s"))
            .last().asString().startsWith("Uploading 200 files: 200 of 200 files, ");
      }

      long sentTwice = serve.receivedBytes() - total;
      System.out.printf("UploadManyCrashTest: %d files, %d bytes; %d finished before the kill;"
          + " %d bytes received twice%n", FILES, total, finishedBefore, sentTwice);
      assertThat(sentTwice).as("bytes received twice, of %d", total)
          .isLessThanOrEqualTo((long) PARALLEL * KIB_256);
      FarmTestClient client = serve.client();
      List<String> ids = client.listIds();
      assertThat(ids).as("one animal per file").hasSize(FILES);
      Map<String, String> stored = new HashMap<>();
      for (String id : ids) {
        JsonNode animal = FarmTestClient.ok(client.get(id));
        assertThat(stored.put(animal.path("name").asText(), sha256(client.download(id))))
            .as("a second animal named %s", animal.path("name").asText()).isNull();
      }
      assertThat(stored).isEqualTo(sha);
    }
    assertThat(UploadCache.locate(cache).all()).as("nothing left pending").isEmpty();
  }

  private static long count(Path folder) throws Exception {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.toString().endsWith(".json")).count();
    }
  }
}
