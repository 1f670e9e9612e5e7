package dev.farmapi.cli;

import static dev.farmapi.cli.UploadFixture.KIB_256;
import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farm upload} run again on an upload that did not finish: it resumes from the server's
 * offset through the saved session, starts over when the file or the session changed, and
 * forgets what it no longer needs.
 */
class UploadResumeTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();

  @TempDir Path dir;
  private UploadFixture farm;

  @BeforeEach
  void setUp() {
    farm = new UploadFixture(server.uri(), server.adminKey(), dir);
  }

  @Test
  void aFailedUploadIsSavedAfterEveryChunkAndTheSameCommandResumesIt() throws Exception {
    Path file = farm.file("goat.png", 5 * KIB_256 + 77, 1);

    CliRun failed = farm.failAfterChunks(file, 2);

    assertThat(failed.errLines()).anyMatch(l -> l.startsWith("farm: HTTP 503"))
        .last().asString().startsWith("farm: run the same command again to resume the upload");
    UploadCache.Entry saved = farm.onlyEntry();
    assertThat(saved.file()).isEqualTo(file);
    assertThat(saved.size()).isEqualTo(Files.size(file));
    assertThat(saved.name()).isEqualTo("goat.png");
    assertThat(saved.session().offset()).isEqualTo(2L * KIB_256);
    assertThat(farm.serverOffset(saved)).isEqualTo(2L * KIB_256);

    CliRun resumed = CliRun.of(farm.upload(file, "--chunk-size", "256K"));

    assertThat(resumed.exit()).as("%s", resumed).isZero();
    assertThat(resumed.errLines().get(0)).isEqualTo("Resuming at 512 KiB of 1.3 MiB");
    farm.assertStored(UploadFixture.idOfSummary(resumed.out()), file);
    assertThat(farm.status(saved).status()).as("the session completed").isEqualTo(200);
    assertThat(farm.cache().all()).isEmpty();
  }

  @Test
  void resumesFromTheServersOffsetWhenItIsPastTheSavedOne() throws Exception {
    Path file = farm.file("lamb.bin", 4 * KIB_256 + 5, 3);
    farm.failAfterChunks(file, 1);
    UploadCache.Entry saved = farm.onlyEntry();
    // Another chunk reached the server after the last save (a crash between the 308 and it).
    byte[] bytes = Files.readAllBytes(file);
    farm.client().putChunk(FarmTestClient.target(saved.session().sessionUri().toString()),
        KIB_256, Arrays.copyOfRange(bytes, KIB_256, 2 * KIB_256), bytes.length);
    long before = receivedBytes();

    CliRun resumed = CliRun.of(farm.upload(file, "--chunk-size", "256K"));

    assertThat(resumed.exit()).as("%s", resumed).isZero();
    assertThat(saved.session().offset()).isEqualTo(KIB_256);
    assertThat(resumed.errLines().get(0)).isEqualTo("Resuming at 512 KiB of 1.0 MiB");
    assertThat(receivedBytes() - before).as("bytes sent by the resume")
        .isEqualTo(bytes.length - 2L * KIB_256);
    farm.assertStored(UploadFixture.idOfSummary(resumed.out()), file);
  }

  @Test
  void aChangedFileStartsOverAndItsOldSessionIsCancelled() throws Exception {
    Path file = farm.file("horse.bin", 3 * KIB_256, 4);
    farm.failAfterChunks(file, 1);
    UploadCache.Entry old = farm.onlyEntry();
    Files.write(file, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);

    CliRun run = CliRun.of(farm.upload(file, "--chunk-size", "256K"));

    assertThat(run.exit()).as("%s", run).isZero();
    assertThat(run.errLines().get(0))
        .isEqualTo("horse.bin changed since its upload began (it was 768 KiB); starting over");
    assertThat(run.err()).doesNotContain("Resuming");
    farm.assertStored(UploadFixture.idOfSummary(run.out()), file);
    assertThat(farm.status(old).status()).as("the old session, cancelled").isEqualTo(404);
    assertThat(farm.cache().all()).isEmpty();
  }

  @Test
  void aSessionTheServerForgotStartsOverAndTheSavedEntryFollowsTheNewSession() throws Exception {
    Path file = farm.file("mule.bin", 3 * KIB_256 + 9, 5);
    farm.failAfterChunks(file, 1);
    UploadCache.Entry old = farm.onlyEntry();
    farm.client().anonymous("DELETE", FarmTestClient.target(old.session().sessionUri().toString()))
        .send();
    // The restarted upload fails again after its initiation and first chunk (503, and the retry).
    String test = farm.retryTest(2, "return-503", "return-503");

    CliRun again = CliRun.of(farm.upload(file, "--chunk-size", "256K", "--retries", "1",
        "--header", "x-retry-test-id: " + test));

    assertThat(again.exit()).as("%s", again).isEqualTo(ExitCodes.SERVER);
    assertThat(again.errLines()).contains(
        "The server no longer has the saved upload (expired or cancelled); starting over");
    assertThat(again.errLines()).anyMatch(line -> line.startsWith("farm: retry 1 of 1")
        && line.contains("HTTP 404")); // the library restarted the session on its own
    UploadCache.Entry renewed = farm.onlyEntry();
    assertThat(renewed.session().sessionUri()).isNotEqualTo(old.session().sessionUri());
    assertThat(renewed.started()).isEqualTo(old.started());
    assertThat(farm.serverOffset(renewed)).isEqualTo(KIB_256);

    CliRun done = CliRun.of(farm.upload(file, "--chunk-size", "256K"));

    assertThat(done.errLines().get(0)).isEqualTo("Resuming at 256 KiB of 768 KiB");
    farm.assertStored(UploadFixture.idOfSummary(done.out()), file);
  }

  @Test
  void savedSessionsAreReadableByTheOwnerOnly() throws Exception {
    Path file = farm.file("cat.bin", 2 * KIB_256 + 1, 6);
    farm.failAfterChunks(file, 1);

    Path folder = farm.cacheDir().resolve("uploads");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
        .isEqualTo("rwx------");
    try (var files = Files.list(folder)) {
      assertThat(files.toList()).singleElement().satisfies(f -> {
        assertThat(f.getFileName().toString()).isEqualTo(farm.onlyEntry().id() + ".json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
            .isEqualTo("rw-------");
      });
    }
  }

  @Test
  void aCacheFileThatIsNotOursIsIgnored() throws Exception {
    Path folder = Files.createDirectories(farm.cacheDir().resolve("uploads"));
    Files.writeString(folder.resolve("0123456789abcdef.json"), "{\"half\": ");
    Files.writeString(folder.resolve("fedcba9876543210.json"), "{\"format\": 99}");
    Path file = farm.file("dog.bin", KIB_256 + 3, 7);

    CliRun run = CliRun.of(farm.upload(file, "--chunk-size", "256K"));

    assertThat(run.exit()).as("%s", run).isZero();
    farm.assertStored(UploadFixture.idOfSummary(run.out()), file);
    assertThat(CliRun.of(farm.uploads("list")).out()).isEmpty();
  }

  /** Bytes the server has read from upload bodies (/metrics). */
  private static long receivedBytes() throws Exception {
    String text = RawHttp.request(server.uri(), "GET", "/metrics").send().text();
    Matcher m = Pattern.compile("(?m)^farm_upload_received_bytes_total (\\S+)$").matcher(text);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }
}
