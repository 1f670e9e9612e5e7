package dev.farmapi.cli;

import static dev.farmapi.server.testing.FarmTestClient.randomBytes;
import static dev.farmapi.server.testing.FarmTestClient.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farmapi.apiclient.media.MediaInMemoryUpload;
import dev.farmapi.farm.Animal;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code farm download} against a real server: files, stdout, resume, and what it says. */
class DownloadCommandTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MIB = 1024 * 1024;

  @TempDir Path dir;
  private TestFarm farm;

  @BeforeEach
  void newFarm() throws Exception {
    farm = TestFarm.create(server);
  }

  @Test
  void downloadsIntoAFolderUnderTheIdWithTheTypesExtensionVerified() throws Exception {
    byte[] picture = randomBytes(MIB + 17, 1);
    Animal pig = farm.insert("Pig", "pig", picture, "image/png");

    CliRun run = farm.run("download", pig.id(), "-o", dir.toString());

    assertThat(run.exit()).as("%s", run).isZero();
    Path file = dir.resolve(pig.id() + ".png");
    assertThat(sha256(Files.readAllBytes(file))).isEqualTo(sha256(picture));
    assertThat(run.outLines()).containsExactly("Downloaded " + pig.id() + " to " + file
        + ": 1.0 MiB (" + picture.length + " bytes), crc32c " + pig.crc32c() + " verified");
    assertThat(run.errLines()).last().asString()
        .startsWith("Downloading " + pig.id() + ": 1.0 MiB of 1.0 MiB (100%), ");
    try (var left = Files.list(dir)) {
      assertThat(left).containsExactly(file); // no FILE.part, no sidecar
    }
  }

  @Test
  void dashOWritesThePictureToStdoutAndEverythingElseToStderr() throws Exception {
    byte[] picture = randomBytes(700_001, 2);
    Animal pig = farm.insert("Pig", "pig", picture, "image/jpeg");

    CliRun run = farm.run("download", pig.id(), "-o", "-");

    assertThat(run.exit()).as("%s", run).isZero();
    assertThat(sha256(run.stdout())).isEqualTo(sha256(picture));
    assertThat(run.errLines()).anyMatch(l -> l.startsWith("Downloading " + pig.id() + ": "));
    assertThat(run.errLines()).last().asString()
        .isEqualTo("Downloaded " + pig.id() + " to stdout: 684 KiB (700001 bytes), crc32c "
            + pig.crc32c() + " verified");
  }

  @Test
  void jsonGivesTheResultAndThePath() throws Exception {
    byte[] picture = randomBytes(5000, 3);
    Animal pig = farm.insert("Pig", "pig", picture, "application/x-pig");
    Path file = dir.resolve("copy");

    CliRun run = farm.run("download", pig.id(), "-o", file.toString(), "--json");

    assertThat(run.exit()).as("%s", run).isZero();
    JsonNode json = JSON.readTree(run.out());
    assertThat(json.path("id").asText()).isEqualTo(pig.id());
    assertThat(json.path("path").asText()).isEqualTo(file.toAbsolutePath().toString());
    assertThat(json.path("size").asLong()).isEqualTo(picture.length);
    assertThat(json.path("md5").isNull()).as("MD5 only with --md5").isTrue();
    assertThat(json.path("crc32c").asText()).isEqualTo(pig.crc32c());
    assertThat(json.path("verified").asBoolean()).isTrue();
    assertThat(json.path("verifiedBy").toString()).isEqualTo("[\"crc32c\"]");
    assertThat(sha256(Files.readAllBytes(file))).isEqualTo(sha256(picture));
  }

  @Test
  void md5IsComputedAndVerifiedToo() throws Exception {
    byte[] picture = randomBytes(3 * MIB + 1, 8);
    Animal pig = farm.insert("Pig", "pig", picture, "image/png");
    Path file = dir.resolve("pig.png");

    CliRun run = farm.run("download", pig.id(), "-o", file.toString(), "--md5");
    CliRun json = farm.run("download", pig.id(), "-o", dir.resolve("again.png").toString(),
        "--md5", "--json");

    assertThat(run.exit()).as("%s", run).isZero();
    assertThat(run.outLines()).containsExactly("Downloaded " + pig.id() + " to " + file
        + ": 3.0 MiB (" + picture.length + " bytes), crc32c " + pig.crc32c() + " and md5 "
        + pig.md5Hash() + " verified");
    assertThat(JSON.readTree(json.out()).path("verifiedBy").toString())
        .isEqualTo("[\"crc32c\",\"md5\"]");
    assertThat(JSON.readTree(json.out()).path("md5").asText()).isEqualTo(pig.md5Hash());
    assertThat(sha256(Files.readAllBytes(file))).isEqualTo(sha256(picture));
  }

  @Test
  void quietPrintsNoProgressOnlyTheResult() throws Exception {
    Animal pig = farm.insert("Pig", "pig", randomBytes(300_000, 4), "image/png");

    CliRun run = farm.run("download", pig.id(), "-o", dir.resolve("p.png").toString(), "-q");

    assertThat(run.exit()).as("%s", run).isZero();
    assertThat(run.errLines()).isEmpty();
    assertThat(run.outLines()).singleElement().asString().startsWith("Downloaded " + pig.id());
  }

  @Test
  void aRerunAfterAnInterruptedDownloadResumesFromThePartialFile() throws Exception {
    byte[] picture = randomBytes(2 * MIB + 5, 5);
    Animal pig = farm.insert("Pig", "pig", picture, "image/png");
    String test = farm.wire().retryTest("farm.animals.get", "return-broken-stream-after-256K");
    Path file = dir.resolve("pig.png");
    Path part = dir.resolve("pig.png.part");

    CliRun broken = farm.run("download", pig.id(), "-o", file.toString(), "--retries", "0",
        "--header", "x-retry-test-id: " + test);

    assertThat(broken.exit()).as("%s", broken).isEqualTo(ExitCodes.SERVER);
    assertThat(farm.wire().retryTestCompleted(test)).isTrue();
    assertThat(file).doesNotExist();
    long kept = Files.size(part);
    assertThat(kept).isBetween(1L, 256L * 1024);
    assertThat(broken.errLines()).contains("Kept " + Sizes.format(kept) + " of 2.0 MiB in " + part
        + "; run the same command again to resume");
    assertThat(broken.errLines()).last().asString()
        .startsWith("farm: the connection to the server failed");

    long sentBefore = sentBytes();
    CliRun rerun = farm.run("download", pig.id(), "-o", file.toString());

    assertThat(rerun.exit()).as("%s", rerun).isZero();
    assertThat(rerun.errLines()).first().asString()
        .isEqualTo("Resuming at " + Sizes.format(kept) + " of 2.0 MiB (from " + part + ")");
    assertThat(sha256(Files.readAllBytes(file))).isEqualTo(sha256(picture));
    assertThat(sentBytes() - sentBefore).as("bytes the server sent the rerun")
        .isEqualTo(picture.length - kept);
    assertThat(part).doesNotExist();
  }

  @Test
  void aRerunAfterThePictureChangedStartsOverAndSaysSo() throws Exception {
    Animal pig = farm.insert("Pig", "pig", randomBytes(MIB, 6), "image/png");
    String test = farm.wire().retryTest("farm.animals.get", "return-broken-stream-after-256K");
    Path file = dir.resolve("pig.png");
    CliRun broken = farm.run("download", pig.id(), "-o", file.toString(), "--retries", "0",
        "--header", "x-retry-test-id: " + test);
    assertThat(broken.exit()).as("%s", broken).isEqualTo(ExitCodes.SERVER);
    byte[] newPicture = randomBytes(MIB + 3, 7);
    farm.farm().animals().update(pig.id(), null, MediaInMemoryUpload.of(newPicture, "image/png"))
        .execute();

    CliRun rerun = farm.run("download", pig.id(), "-o", file.toString());

    assertThat(rerun.exit()).as("%s", rerun).isZero();
    assertThat(rerun.errLines()).first().asString().startsWith("Resuming at ");
    assertThat(rerun.errLines())
        .contains("The picture changed on the server meanwhile; starting over");
    assertThat(sha256(Files.readAllBytes(file))).isEqualTo(sha256(newPicture));
  }

  @Test
  void theDefaultNameIsTheIdWithAnExtensionFromTheType() {
    assertThat(MediaFileNames.of("aB3-_x", "image/png")).isEqualTo("aB3-_x.png");
    assertThat(MediaFileNames.of("aB3", "image/jpeg; q=1")).isEqualTo("aB3.jpg");
    assertThat(MediaFileNames.of("aB3", "image/avif")).isEqualTo("aB3.avif");
    assertThat(MediaFileNames.of("aB3", "application/vnd.farm+weird")).isEqualTo("aB3");
    assertThat(MediaFileNames.of("aB3", "application/octet-stream")).isEqualTo("aB3.bin");
    assertThat(MediaFileNames.of("../etc/x", "text/plain")).isEqualTo("___etc_x.txt");
  }

  @Test
  void anAnimalWithoutAPictureIsNotFoundAndSaysWhy() throws Exception {
    Animal hen = farm.insert("Hen", null, null, null);

    CliRun run = farm.run("download", hen.id(), "-o", dir.toString());

    assertThat(run.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.errLines())
        .containsExactly("farm: animal " + hen.id() + " has no picture to download");
    try (var left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void anUnknownIdIsNotFound() {
    CliRun run = farm.run("download", "noSuchAnimal", "-o", dir.toString());

    assertThat(run.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.errLines()).singleElement().asString().startsWith("farm: HTTP 404");
  }

  @Test
  void aMissingFolderIsNotFoundBeforeAnyByteMoves() throws Exception {
    Animal pig = farm.insert("Pig", "pig", randomBytes(10, 6), "image/png");

    CliRun run = farm.run("download", pig.id(), "-o", dir.resolve("no/such/x.png").toString());

    assertThat(run.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.errLines()).containsExactly("farm: no such folder: " + dir.resolve("no/such"));
  }

  /** What the server has sent in media downloads so far (its /metrics counter). */
  private static long sentBytes() throws IOException {
    String metrics = RawHttp.request(server.uri(), "GET", "/metrics").send().text();
    Matcher m = Pattern.compile("(?m)^farm_download_sent_bytes_total (\\S+)$").matcher(metrics);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }
}
