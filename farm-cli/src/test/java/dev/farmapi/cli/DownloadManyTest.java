package dev.farmapi.cli;

import static dev.farmapi.server.testing.FarmTestClient.randomBytes;
import static dev.farmapi.server.testing.FarmTestClient.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.farm.Animal;
import dev.farmapi.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farm download ID... -o DIR}: many pictures {@code -j} at a time, one JSON object each,
 * reruns that skip pictures already there, a missing id named, and {@code --limit-rate}.
 */
class DownloadManyTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();

  @TempDir Path dir;
  private TestFarm farm;

  @BeforeEach
  void newFarm() throws Exception {
    farm = TestFarm.create(server);
  }

  @Test
  void manyIdsLandInTheFolderVerifiedAndARerunSkipsThemUnlessChangedOrForced() throws Exception {
    Map<String, byte[]> pictures = new HashMap<>();
    List<String> args = new ArrayList<>(List.of("download"));
    for (int i = 0; i < 5; i++) {
      byte[] bytes = randomBytes(100_000 + i * 150_000, i);
      Animal a = farm.insert("A" + i, null, bytes, "image/png");
      pictures.put(a.id(), bytes);
      args.add(a.id());
    }
    Path folder = dir.resolve("new/folder");
    args.addAll(List.of("-o", folder.toString(), "-j", "3"));

    CliRun first = farm.run(with(args, "--json"));

    assertThat(first.exit()).as("%s", first).isZero();
    Map<String, JsonNode> lines = byId(first);
    assertThat(lines.keySet()).isEqualTo(pictures.keySet());
    for (var e : pictures.entrySet()) {
      assertThat(lines.get(e.getKey()).path("status").asText()).isEqualTo("downloaded");
      assertThat(lines.get(e.getKey()).path("verifiedBy").toString()).isEqualTo("[\"crc32c\"]");
      assertThat(sha256(Files.readAllBytes(folder.resolve(e.getKey() + ".png"))))
          .isEqualTo(sha256(e.getValue()));
    }
    String changed = args.get(1);
    Files.write(folder.resolve(changed + ".png"), new byte[] {1, 2, 3});

    CliRun again = farm.run(args.toArray(String[]::new));

    assertThat(again.exit()).as("%s", again).isZero();
    assertThat(again.outLines()).hasSize(5)
        .filteredOn(l -> l.startsWith("Skipped ")).hasSize(4)
        .allMatch(l -> l.endsWith("; --force downloads it again"));
    assertThat(again.outLines()).anyMatch(l -> l.startsWith("Downloaded " + changed + " to "));
    assertThat(sha256(Files.readAllBytes(folder.resolve(changed + ".png"))))
        .isEqualTo(sha256(pictures.get(changed)));
    assertThat(again.errLines()).last().asString().startsWith("Downloaded 1 of 5 files (")
        .endsWith("; skipped 4, already here (--force downloads them again)");

    CliRun forced = farm.run(with(args, "--force", "--quiet"));

    assertThat(forced.outLines()).hasSize(5).allMatch(l -> l.startsWith("Downloaded "));
  }

  @Test
  void aMissingIdIsNamedAndTheOthersStillDownload() throws Exception {
    Animal pig = farm.insert("Pig", null, randomBytes(1000, 1), "image/png");

    CliRun run = farm.run("download", pig.id(), "nosuchanimal", "-o", dir.toString());

    assertThat(run.exit()).as("%s", run).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.outLines()).singleElement().asString().startsWith("Downloaded " + pig.id());
    assertThat(run.errLines()).anyMatch(l -> l.startsWith("farm: nosuchanimal: HTTP 404"))
        .last().asString().isEqualTo("farm: 1 of 2 files failed: nosuchanimal (run the same"
            + " command again to retry them)");
  }

  @Test
  void limitRateCapsAllParallelDownloadsTogether() throws Exception {
    byte[] one = randomBytes(768 * 1024, 1);
    byte[] two = randomBytes(768 * 1024 + 9, 2);
    Animal a = farm.insert("One", null, one, "image/png");
    Animal b = farm.insert("Two", null, two, "image/png");
    long start = System.nanoTime();

    CliRun run = farm.run("download", a.id(), b.id(), "-o", dir.toString(), "-j", "2",
        "--limit-rate", "600K", "--quiet");

    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(run.exit()).as("%s", run).isZero();
    assertThat((one.length + two.length) / seconds / (600 * 1024))
        .as("measured rate / cap (%.2f s)", seconds).isBetween(0.80, 1.05);
    assertThat(sha256(Files.readAllBytes(dir.resolve(a.id() + ".png")))).isEqualTo(sha256(one));
    assertThat(sha256(Files.readAllBytes(dir.resolve(b.id() + ".png")))).isEqualTo(sha256(two));
  }

  private static String[] with(List<String> args, String... more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static Map<String, JsonNode> byId(CliRun run) throws Exception {
    Map<String, JsonNode> byId = new HashMap<>();
    for (String line : run.outLines()) {
      JsonNode json = UploadFixture.json(line);
      byId.put(json.path("id").asText(), json);
    }
    return byId;
  }
}
