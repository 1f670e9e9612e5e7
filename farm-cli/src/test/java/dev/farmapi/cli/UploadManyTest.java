package dev.farmapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farm upload PATH...} with many files in this JVM against a real server: folders and
 * globs, {@code -j}, one JSON object per file, reruns that skip what is done, {@code --force},
 * failures named, and {@code --limit-rate} for the whole command.
 */
class UploadManyTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();

  @TempDir Path dir;
  private UploadFixture farm;
  private Path photos;

  @BeforeEach
  void setUp() throws Exception {
    farm = new UploadFixture(server.uri(), server.adminKey(), dir);
    photos = Files.createDirectories(dir.resolve("photos"));
  }

  @Test
  void aFolderAndAGlobUploadEachFileOnceAndARerunSkipsThemAll() throws Exception {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Path sub = Files.createDirectories(photos.resolve(i % 2 == 0 ? "a" : "b/c"));
      files.add(Files.write(sub.resolve("p" + i + ".jpg"),
          dev.farmapi.server.testing.FarmTestClient.randomBytes(50_000 + i * 70_000, i)));
    }
    Path loose = farm.file("loose.png", 300_000, 42);
    Path other = farm.file("other.txt", 10, 43);
    files.add(loose);

    // The folder, a glob the shell did not expand, and a file named twice: each file once.
    CliRun first = CliRun.of(farm.upload(photos, dir + "/*.png", loose.toString(), "-j", "3",
        "--chunk-size", "256K", "--json"));

    assertThat(first.exit()).as("%s", first).isZero();
    Map<String, JsonNode> byFile = jsonLines(first);
    assertThat(byFile.keySet()).containsExactlyInAnyOrderElementsOf(
        files.stream().map(Path::toString).toList()).doesNotContain(other.toString());
    for (Path f : files) {
      JsonNode line = byFile.get(f.toString());
      assertThat(line.path("status").asText()).isEqualTo("uploaded");
      assertThat(line.path("animal").path("kind").asText()).isEqualTo("farm#animal");
      assertThat(line.path("animal").path("name").asText()).isEqualTo(f.getFileName().toString());
      farm.assertStored(line.path("animal").path("id").asText(), f);
    }
    assertThat(first.errLines()).last().asString()
        .startsWith("Uploaded 7 of 7 files (").doesNotContain("skipped");
    int animals = farm.client().listIds().size();
    long received = ServeProcess.receivedBytes(server.uri());

    CliRun again = CliRun.of(farm.upload(photos, loose.toString(), "-j", "3"));

    assertThat(again.exit()).as("%s", again).isZero();
    assertThat(again.outLines()).hasSize(7).allMatch(l -> l.startsWith("Skipped ")
        && l.contains(": already uploaded as animal ") && l.endsWith("; --force uploads it again"));
    assertThat(again.errLines()).last().asString()
        .startsWith("Uploaded 0 of 7 files (0 B in ")
        .endsWith("; skipped 7, already uploaded (--force uploads them again)");
    assertThat(ServeProcess.receivedBytes(server.uri())).as("media bytes sent by the rerun")
        .isEqualTo(received);
    assertThat(farm.client().listIds()).hasSize(animals);

    CliRun forced = CliRun.of(farm.upload(photos.resolve("a"), "--force", "--quiet"));

    assertThat(forced.exit()).as("%s", forced).isZero();
    assertThat(forced.outLines()).hasSize(3).allMatch(l -> l.startsWith("Uploaded "));
    assertThat(farm.client().listIds()).hasSize(animals + 3);
  }

  @Test
  void aRerunUploadsAgainAFileThatChangedOrWhoseAnimalWasDeleted() throws Exception {
    Path kept = Files.write(photos.resolve("kept.bin"), new byte[] {1, 2, 3});
    Path changed = Files.write(photos.resolve("changed.bin"), new byte[] {4, 5, 6});
    Path deleted = Files.write(photos.resolve("deleted.bin"), new byte[] {7, 8, 9});
    Map<String, JsonNode> first = jsonLines(CliRun.of(farm.upload(photos, "--json")));
    Files.write(changed, new byte[] {4, 5, 6, 7});
    Files.setLastModifiedTime(changed, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    farm.client().request("DELETE", "/farm/v1/animals/"
        + first.get(deleted.toString()).path("animal").path("id").asText()).send();

    CliRun again = CliRun.of(farm.upload(photos, "--json"));

    assertThat(again.exit()).as("%s", again).isZero();
    Map<String, JsonNode> second = jsonLines(again);
    assertThat(second.get(kept.toString()).path("status").asText()).isEqualTo("skipped");
    assertThat(second.get(kept.toString()).path("animal"))
        .isEqualTo(farm.client().get(first.get(kept.toString()).path("animal").path("id")
            .asText()).json());
    for (Path p : List.of(changed, deleted)) {
      assertThat(second.get(p.toString()).path("status").asText()).as("%s", p)
          .isEqualTo("uploaded");
      farm.assertStored(second.get(p.toString()).path("animal").path("id").asText(), p);
    }
  }

  @Test
  void failedFilesAreNamedTheOthersFinishAndARerunUploadsOnlyThem() throws Exception {
    Path a = Files.write(photos.resolve("a.bin"), new byte[] {1});
    Path b = Files.write(photos.resolve("b.bin"), new byte[] {2});
    Path c = Files.write(photos.resolve("c.bin"), new byte[] {3});
    // One file at a time, in name order: a passes (initiation, chunk), b's initiation fails.
    String test = farm.retryTest(2, "return-503");

    CliRun run = CliRun.of(farm.upload(photos, "-j", "1", "--retries", "0",
        "--header", "x-retry-test-id: " + test));

    assertThat(run.exit()).as("%s", run).isEqualTo(ExitCodes.SERVER);
    assertThat(run.outLines()).hasSize(2).anyMatch(l -> l.startsWith("Uploaded a.bin"))
        .anyMatch(l -> l.startsWith("Uploaded c.bin"));
    assertThat(run.errLines()).anyMatch(l -> l.startsWith("farm: " + b + ": HTTP 503"));
    assertThat(run.errLines()).last().asString().isEqualTo("farm: 1 of 3 files failed: " + b
        + " (run the same command again to retry them)");

    CliRun rerun = CliRun.of(farm.upload(photos, "-j", "1"));

    assertThat(rerun.exit()).as("%s", rerun).isZero();
    assertThat(rerun.outLines()).filteredOn(l -> l.startsWith("Uploaded ")).singleElement()
        .asString().startsWith("Uploaded b.bin as animal ");
    farm.assertStored(UploadFixture.idOfSummary(rerun.outLines().stream()
        .filter(l -> l.startsWith("Uploaded ")).findFirst().orElseThrow()), b);
  }

  @Test
  void aRefusedKeyStopsTheBatchWithOneLine() throws Exception {
    for (int i = 0; i < 20; i++) {
      Files.write(photos.resolve("f" + i + ".bin"), new byte[] {(byte) i});
    }
    List<String> args = farm.upload(photos, "-j", "2");
    args.set(args.indexOf("--key") + 1, "farm_not_a_key");

    CliRun run = CliRun.of(args);

    assertThat(run.exit()).as("%s", run).isEqualTo(ExitCodes.AUTH);
    assertThat(run.errLines()).filteredOn(l -> l.startsWith("farm: ")).singleElement().asString()
        .contains("401").contains("admin.key").contains("files left for a rerun");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void oneNameForManyFilesIsAUsageErrorAndAGlobThatMatchesNothingIsNotFound() throws Exception {
    Files.write(photos.resolve("a.bin"), new byte[] {1});
    Files.write(photos.resolve("b.bin"), new byte[] {2});
    int animals = farm.client().listIds().size();

    CliRun named = CliRun.of(farm.upload(photos, "--name", "Pig"));
    CliRun nothing = CliRun.of(farm.upload(Path.of(photos + "/*.jpg")));

    assertThat(named.exit()).as("%s", named).isEqualTo(ExitCodes.USAGE);
    assertThat(named.errLines()).containsExactly("farm: --name names one animal: with 2 files,"
        + " drop it (each animal is named after its file)");
    assertThat(nothing.exit()).as("%s", nothing).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(nothing.errLines()).containsExactly("farm: no files match '" + photos + "/*.jpg'");
    assertThat(farm.client().listIds()).hasSize(animals);
  }

  @Test
  void limitRateCapsAllParallelUploadsTogether() throws Exception {
    Path one = farm.file("one.bin", 768 * 1024, 1);
    Path two = farm.file("two.bin", 768 * 1024 + 5, 2);
    long start = System.nanoTime();

    CliRun run = CliRun.of(farm.upload(one, two.toString(), "-j", "2", "--limit-rate", "600K",
        "--chunk-size", "256K", "--json", "--quiet"));

    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(run.exit()).as("%s", run).isZero();
    double rate = (Files.size(one) + Files.size(two)) / seconds;
    // 1.5 MiB at 600 KiB/s is 2.56 s; the bucket's burst and the requests' overhead stay small.
    assertThat(rate / (600 * 1024)).as("measured rate / cap (%.2f s)", seconds)
        .isBetween(0.80, 1.05);
    for (JsonNode line : jsonLines(run).values()) {
      farm.assertStored(line.path("animal").path("id").asText(),
          Path.of(line.path("file").asText()));
    }
  }

  private static Map<String, JsonNode> jsonLines(CliRun run) throws Exception {
    Map<String, JsonNode> byFile = new HashMap<>();
    for (String line : run.outLines()) {
      JsonNode json = UploadFixture.json(line);
      assertThat(byFile.put(json.path("file").asText(), json)).as("one line per file").isNull();
    }
    return byFile;
  }
}
