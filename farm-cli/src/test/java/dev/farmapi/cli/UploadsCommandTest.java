package dev.farmapi.cli;

import static dev.farmapi.cli.UploadFixture.KIB_256;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.ResumableSession;
import dev.farmapi.server.testing.TestServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code farm uploads list} and {@code cancel}: the pending uploads of the current server. */
class UploadsCommandTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();

  @TempDir Path dir;
  private UploadFixture farm;

  @BeforeEach
  void setUp() {
    farm = new UploadFixture(server.uri(), server.adminKey(), dir);
  }

  @Test
  void listShowsFileProgressAndStartOfEachPendingUpload() throws Exception {
    Path first = farm.file("first.bin", 4 * KIB_256, 1);
    Path second = farm.file("second.bin", 2 * KIB_256 + 1, 2);
    Instant before = Instant.now();
    farm.failAfterChunks(first, 1);
    farm.failAfterChunks(second, 1);

    CliRun text = CliRun.of(farm.uploads("list"));
    CliRun json = CliRun.of(farm.uploads("list", "--json"));

    assertThat(text.exit()).isZero();
    assertThat(text.out().lines().toList()).hasSize(3);
    assertThat(text.out().lines().findFirst().orElseThrow()).matches("ID +FILE +DONE +STARTED");
    assertThat(text.out()).contains(first + "  ").contains("256 KiB of 1.0 MiB (25%)")
        .contains(second + " ").contains("256 KiB of 512 KiB (49%)");
    JsonNode items = UploadFixture.json(json.out());
    assertThat(items).hasSize(2);
    JsonNode item = items.get(0);
    assertThat(item.path("file").asText()).isEqualTo(first.toString());
    assertThat(item.path("size").asLong()).isEqualTo(4L * KIB_256);
    assertThat(item.path("offset").asLong()).isEqualTo(KIB_256);
    assertThat(item.path("name").asText()).isEqualTo("first.bin");
    assertThat(item.path("server").asText()).isEqualTo(server.uri().toString());
    assertThat(Instant.parse(item.path("started").asText())).isAfterOrEqualTo(before);
    assertThat(item.path("id").asText()).isEqualTo(farm.cache().all().get(0).id());
  }

  @Test
  void temporaryFilesLeftByAKilledRunAreCleanedAndCancelAllRemovesEveryOne() throws Exception {
    Path uploads = Files.createDirectories(farm.cache().dir());
    Path stale = Files.createFile(uploads.resolve("0123456789abcdef.555.tmp")); // 0 bytes, as a kill leaves it
    Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(
        Instant.now().minus(UploadCache.STALE_TMP).minusSeconds(1)));
    Path fresh = Files.createFile(uploads.resolve("fedcba9876543210.556.tmp"));

    CliRun list = CliRun.of(farm.uploads("list"));

    assertThat(list.exit()).as("%s", list).isZero();
    assertThat(stale).as("a stale one: its writer died").doesNotExist();
    assertThat(fresh).as("a fresh one may be another run's write in progress").exists();

    CliRun cancel = CliRun.of(farm.uploads("cancel", "--all"));

    assertThat(cancel.exit()).as("%s", cancel).isZero();
    try (var left = Files.list(uploads)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void cancelMakesTheServerForgetTheSessionAndTheEntryDisappear() throws Exception {
    Path file = farm.file("gone.bin", 3 * KIB_256, 3);
    farm.failAfterChunks(file, 2);
    UploadCache.Entry entry = farm.onlyEntry();
    assertThat(farm.status(entry).status()).isEqualTo(308);

    CliRun cancel = CliRun.of(farm.uploads("cancel", file.toString()));

    assertThat(cancel.exit()).as("%s", cancel).isZero();
    assertThat(cancel.out().strip())
        .isEqualTo("Cancelled the upload of " + file + " (" + entry.id() + ")");
    assertThat(farm.status(entry).status()).isEqualTo(404);
    assertThat(farm.cache().all()).isEmpty();
    CliRun list = CliRun.of(farm.uploads("list"));
    assertThat(list.out()).isEmpty();
    assertThat(list.err().strip()).isEqualTo("No pending uploads to " + server.uri());
    // The next upload of the file starts afresh, without a word about resuming.
    CliRun again = CliRun.of(farm.upload(file, "--chunk-size", "256K"));
    assertThat(again.err()).doesNotContain("Resuming");
    farm.assertStored(UploadFixture.idOfSummary(again.out()), file);
  }

  @Test
  void cancelByIdAndAllTouchOnlyThisServersUploads() throws Exception {
    Path one = farm.file("one.bin", 2 * KIB_256 + 1, 4);
    Path two = farm.file("two.bin", 2 * KIB_256 + 2, 5);
    Path three = farm.file("three.bin", 2 * KIB_256 + 3, 6);
    farm.failAfterChunks(one, 1);
    farm.failAfterChunks(two, 1);
    farm.failAfterChunks(three, 1);
    UploadCache.Entry elsewhere = new UploadCache.Entry("00000000000000ff",
        "http://farm.example:8080/", one, 2 * KIB_256 + 1, "one.bin", null, Instant.now(),
        new ResumableSession(URI.create("http://farm.example:8080/upload/farm/v1/animals?"
            + "uploadType=resumable&upload_id=x"), 0, 2 * KIB_256 + 1, "text/plain", "file:x"));
    farm.cache().save(elsewhere);
    UploadCache.Entry first = farm.cache().of(server.uri().toString()).get(0);

    CliRun byId = CliRun.of(farm.uploads("cancel", first.id().substring(0, 8), "--json"));

    assertThat(byId.exit()).as("%s", byId).isZero();
    JsonNode outcome = UploadFixture.json(byId.out()).get(0);
    assertThat(outcome.path("id").asText()).isEqualTo(first.id());
    assertThat(outcome.path("outcome").asText()).isEqualTo("cancelled");
    assertThat(farm.status(first).status()).isEqualTo(404);

    CliRun all = CliRun.of(farm.uploads("cancel", "--all"));

    assertThat(all.exit()).as("%s", all).isZero();
    assertThat(all.out().lines()).hasSize(2).allMatch(l -> l.startsWith("Cancelled the upload"));
    assertThat(farm.cache().all()).containsExactly(elsewhere);
  }

  @Test
  void cancelOfAnUploadTheServerNoLongerHasForgetsIt() throws Exception {
    Path file = farm.file("expired.bin", 2 * KIB_256 + 1, 7);
    farm.failAfterChunks(file, 1);
    UploadCache.Entry entry = farm.onlyEntry();
    farm.client().anonymous("DELETE", dev.farmapi.server.testing.FarmTestClient.target(
        entry.session().sessionUri().toString())).send();

    CliRun cancel = CliRun.of(farm.uploads("cancel", entry.id()));

    assertThat(cancel.exit()).as("%s", cancel).isZero();
    assertThat(cancel.out()).contains("The server no longer had the upload of " + file);
    assertThat(farm.cache().all()).isEmpty();
  }

  @Test
  void cancelNeedsATargetThatIsPending() throws Exception {
    CliRun none = CliRun.of(farm.uploads("cancel"));
    CliRun both = CliRun.of(farm.uploads("cancel", "x.bin", "--all"));
    CliRun unknown = CliRun.of(farm.uploads("cancel", dir.resolve("never.bin").toString()));

    assertThat(none.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(unknown.errLines()).singleElement().asString()
        .startsWith("farm: no pending upload of '" + dir.resolve("never.bin") + "'");
    assertThat(Files.exists(farm.cacheDir())).isFalse();
  }
}
