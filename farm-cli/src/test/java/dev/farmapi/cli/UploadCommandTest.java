package dev.farmapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.TestServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code farm upload} in this JVM against a real server: options, output and exit codes. */
class UploadCommandTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();

  @TempDir Path dir;
  private UploadFixture farm;

  @BeforeEach
  void setUp() {
    farm = new UploadFixture(server.uri(), server.adminKey(), dir);
  }

  @Test
  void resumableUploadPrintsTheServersAnimalAsJson() throws Exception {
    Path pig = farm.file("pig.png", 10_000, 1);

    CliRun run = CliRun.of(farm.upload(pig, "--json"));

    assertThat(run.exit()).as("%s", run).isZero();
    JsonNode printed = UploadFixture.json(run.out());
    String id = printed.path("id").asText();
    assertThat(printed).isEqualTo(FarmTestClient.ok(farm.client().get(id)));
    assertThat(printed.path("name").asText()).isEqualTo("pig.png");
    assertThat(printed.path("mediaContentType").asText()).isEqualTo("image/png");
    farm.assertStored(id, pig);
    assertThat(farm.cache().all()).as("a completed upload is forgotten").isEmpty();
  }

  @Test
  void chunkSizeSplitsTheUploadAndHeadersReachTheServer() throws Exception {
    Path big = farm.file("big.bin", 4 * UploadFixture.KIB_256 + 123, 2);
    // Initiation + 5 chunks of 256 KiB pass through; one more instruction is left over.
    String test = farm.retryTest(7);

    CliRun run = CliRun.of(farm.upload(big, "--chunk-size", "256K", "--json",
        "--header", "x-retry-test-id: " + test));

    assertThat(run.exit()).as("%s", run).isZero();
    assertThat(farm.unfired(test)).as("requests the server saw: 7 - 6").isEqualTo(1);
    JsonNode printed = UploadFixture.json(run.out());
    assertThat(printed.path("mediaSize").asText()).isEqualTo(Long.toString(Files.size(big)));
    farm.assertStored(printed.path("id").asText(), big);
  }

  @Test
  void simpleUploadSendsTheBytesWithoutMetadata() throws Exception {
    Path file = farm.file("plain.bin", 70_000, 3);

    CliRun run = CliRun.of(farm.upload(file, "--simple", "--json"));

    assertThat(run.exit()).as("%s", run).isZero();
    JsonNode animal = UploadFixture.json(run.out());
    assertThat(animal.has("name")).isFalse();
    assertThat(animal.path("mediaContentType").asText()).isEqualTo("application/octet-stream");
    farm.assertStored(animal.path("id").asText(), file);
  }

  @Test
  void multipartUploadCarriesNameSpeciesAndTheGivenType() throws Exception {
    Path file = farm.file("babe.dat", 90_000, 4);

    CliRun run = CliRun.of(farm.upload(file, "--multipart", "--name", "Babe",
        "--species", "pig", "--mime", "image/x-pig", "--json"));

    assertThat(run.exit()).as("%s", run).isZero();
    JsonNode stored = FarmTestClient.ok(
        farm.client().get(UploadFixture.json(run.out()).path("id").asText()));
    assertThat(stored.path("name").asText()).isEqualTo("Babe");
    assertThat(stored.path("species").asText()).isEqualTo("pig");
    assertThat(stored.path("mediaContentType").asText()).isEqualTo("image/x-pig");
    farm.assertStored(stored.path("id").asText(), file);
  }

  @Test
  void textOutputIsOneSummaryLineWithPlainProgressLinesOnStderr() throws Exception {
    Path file = farm.file("cow.jpg", 3 * UploadFixture.KIB_256, 5);

    CliRun run = CliRun.of(farm.upload(file, "--chunk-size", "256K", "--species", "cow"));

    assertThat(run.exit()).as("%s", run).isZero();
    assertThat(run.out().lines()).hasSize(1);
    String id = UploadFixture.idOfSummary(run.out());
    assertThat(run.out()).contains("(768 KiB, md5 ");
    farm.assertStored(id, file);
    assertThat(run.errLines()).isNotEmpty().allMatch(line ->
        line.matches("Uploading cow\\.jpg: [0-9.]+ \\S+ of 768 KiB \\(\\d+%\\), [0-9.]+ \\S+/s"));
    assertThat(run.errLines()).last().asString().contains("768 KiB of 768 KiB (100%)");
    assertThat(run.err()).doesNotContain("\r").doesNotContain("\u001b");
  }

  @Test
  void quietPrintsNoProgress() throws Exception {
    Path file = farm.file("hen.gif", 300_000, 6);

    CliRun run = CliRun.of(farm.upload(file, "--quiet", "--chunk-size", "256K"));

    assertThat(run.exit()).as("%s", run).isZero();
    assertThat(run.err()).isEmpty();
    farm.assertStored(UploadFixture.idOfSummary(run.out()), file);
  }

  @Test
  void aWrongKeyIsAnAuthFailure() throws Exception {
    Path file = farm.file("a.bin", 1000, 7);
    List<String> args = farm.upload(file);
    args.set(args.indexOf("--key") + 1, "farm_not-a-key");

    CliRun run = CliRun.of(args);

    assertThat(run.exit()).as("%s", run).isEqualTo(ExitCodes.AUTH);
    assertThat(run.errLines()).as("every failure is one line").singleElement().asString()
        .startsWith("farm: HTTP 401").contains("admin.key");
    assertThat(run.out()).isEmpty();
    assertThat(farm.cache().all()).isEmpty();
  }

  @Test
  void aMissingFileIsNotFound() {
    CliRun run = CliRun.of(farm.upload(dir.resolve("nowhere.png")));

    assertThat(run.exit()).as("%s", run).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.errLines()).containsExactly("farm: no such file: " + dir.resolve("nowhere.png"));
  }

  @Test
  void anUnreachableServerIsAServerFailure() throws Exception {
    Path file = farm.file("b.bin", 1000, 8);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    List<String> args = farm.upload(file, "--retries", "0");
    args.set(args.indexOf("--server") + 1, "http://127.0.0.1:" + closedPort + "/");

    CliRun run = CliRun.of(args);

    assertThat(run.exit()).as("%s", run).isEqualTo(ExitCodes.SERVER);
    assertThat(run.errLines()).containsExactly("farm: nothing is listening at 127.0.0.1:"
        + closedPort + " (connection refused); is 'farm serve' running?");
    assertThat(run.errLines()).noneMatch(l -> l.startsWith("\tat ")); // no stack without -v
  }

  @Test
  void wrongOptionsAreUsageErrorsInOneLine() throws Exception {
    Path file = farm.file("c.bin", 1000, 9);
    int animals = farm.client().listIds().size();
    List<List<String>> wrong = List.of(
        farm.upload(file, "--chunk-size", "8X"),
        farm.upload(file, "--chunk-size", "100K"),
        farm.upload(file, "--simple", "--name", "Nope"),
        farm.upload(file, "--simple", "--multipart"),
        farm.upload(file, "--multipart", "--chunk-size", "256K"),
        farm.upload(file, "--header", "no colon here"),
        farm.upload(file, "--header", ": empty name"),
        farm.upload(file, "-j", "0"),
        farm.upload(file, "--limit-rate", "0"));

    for (List<String> args : wrong) {
      CliRun run = CliRun.of(args);
      assertThat(run.exit()).as("%s\n%s", args, run).isEqualTo(ExitCodes.USAGE);
      assertThat(run.errLines()).as("%s", args).hasSize(1).allMatch(l -> l.startsWith("farm: "));
      assertThat(run.out()).isEmpty();
    }
    assertThat(CliRun.of(farm.upload(file, "--chunk-size", "8X")).err())
        .contains("'8X' is not a size").contains("farm upload --help");
    assertThat(farm.client().listIds()).hasSize(animals);
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] args : List.of(new String[] {"upload", "--help"},
        new String[] {"uploads", "--help"}, new String[] {"uploads", "list", "--help"},
        new String[] {"uploads", "cancel", "--help"})) {
      CliRun run = CliRun.of(args);
      assertThat(run.exit()).isZero();
      assertThat(run.out()).startsWith("Usage: farm " + String.join(" ",
          List.of(args).subList(0, args.length - 1)));
    }
  }
}
