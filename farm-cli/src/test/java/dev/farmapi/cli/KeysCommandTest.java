package dev.farmapi.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farmapi.server.ApiKeys;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code farm keys create|list|revoke} on the data folder of a running server, as operators use them. */
class KeysCommandTest {
  @RegisterExtension static final TestServer server = TestServer.perClass();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  String farm;

  @BeforeEach
  void newFarm() {
    farm = TestServer.newFarmName();
  }

  private CliRun keys(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "keys";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--data";
    all[args.length + 2] = server.dataDir().toString();
    return CliRun.of(all);
  }

  /** Runs {@code keys create} and returns the key it printed. */
  private String create(String... options) {
    String[] args = new String[options.length + 3];
    args[0] = "create";
    args[1] = "--farm";
    args[2] = farm;
    System.arraycopy(options, 0, args, 3, options.length);
    CliRun created = keys(args);
    assertThat(created.exit()).as("%s", created).isZero();
    return created.out().trim();
  }

  private FarmTestClient client(String key) {
    return FarmTestClient.of(server.uri(), key);
  }

  @Test
  void createListAndRevokeAKeyWhileTheServerRuns() throws Exception {
    CliRun created = keys("create", "--farm", farm, "--read-only", "--expires", "30d",
        "--note", "the kiosk in the barn");
    String key = created.out().trim();
    String id = ApiKeys.idOf(key).orElseThrow();
    assertThat(created.outLines()).containsExactly(key); // stdout is the key alone, for scripts
    assertThat(created.err()).contains("Created key " + id + " of farm " + farm + " (read-only,"
        + " expires ", "shown only this once");
    JsonNode whoami = FarmTestClient.ok(client(key).request("GET", "/farm/v1/whoami").send());
    assertThat(whoami.get("readOnly").asBoolean()).isTrue();

    CliRun table = keys("list", "--farm", farm);
    assertThat(table.exit()).as("%s", table).isZero();
    assertThat(table.outLines()).hasSize(2);
    assertThat(table.outLines().get(0)).matches(
        "ID +FARM +SCOPE +STATE +CREATED +EXPIRES +LAST USED +NOTE");
    String minute = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d";
    assertThat(table.outLines().get(1)).matches(id + " +" + farm + " +read-only +active +"
        + minute + " +" + minute + " +" + minute + " +the kiosk in the barn"); // used: whoami

    JsonNode listed = JSON.readTree(keys("list", "--farm", farm, "--json").out());
    assertThat(listed).hasSize(1);
    JsonNode k = listed.get(0);
    assertThat(k.get("id").asText()).isEqualTo(id);
    assertThat(k.get("scope").asText()).isEqualTo("read-only");
    assertThat(k.get("state").asText()).isEqualTo("active");
    Instant createTime = Instant.parse(k.get("createTime").asText());
    assertThat(Instant.parse(k.get("expireTime").asText()))
        .isEqualTo(createTime.plus(Duration.ofDays(30)));
    assertThat(Instant.parse(k.get("lastUseTime").asText()).getEpochSecond() % 60).isZero();
    assertThat(k.has("revokeTime")).isFalse();

    CliRun revoked = keys("revoke", id, "--force"); // the farm's only key
    assertThat(revoked.exit()).as("%s", revoked).isZero();
    assertThat(revoked.out()).contains("Revoked key " + id + " of farm " + farm);
    await().atMost(Duration.ofSeconds(5)).until(() ->
        client(key).request("GET", "/farm/v1/whoami").send().status() == 401);
    assertThat(keys("list", "--farm", farm).outLines()).isEmpty();
    assertThat(keys("list", "--farm", farm).err()).contains("No keys of farm '" + farm + "'");
    assertThat(keys("list", "--farm", farm, "--all").outLines().get(1))
        .matches(id + " +" + farm + " +read-only +revoked .*");
  }

  @Test
  void theLastValidKeyOfAFarmIsRevokedOnlyWithForce() throws Exception {
    String only = create();
    String id = ApiKeys.idOf(only).orElseThrow();

    CliRun refused = keys("revoke", id);

    assertThat(refused.exit()).as("%s", refused).isEqualTo(ExitCodes.FAILURE);
    assertThat(refused.errLines()).singleElement().asString()
        .contains("farm: key " + id + " is the last valid key of farm '" + farm + "'",
            "locks everyone out", "farm keys create --farm " + farm, "--force");
    assertThat(client(only).listIds()).isEmpty(); // still works

    String expiring = create("--expires", "1h"); // a second valid key: now it may go
    assertThat(keys("revoke", id).exit()).isZero();
    CliRun lastAgain = keys("revoke", ApiKeys.idOf(expiring).orElseThrow());
    assertThat(lastAgain.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(keys("revoke", ApiKeys.idOf(expiring).orElseThrow(), "--force").exit()).isZero();
    await().atMost(Duration.ofSeconds(5)).until(() ->
        client(expiring).request("GET", "/farm/v1/animals").send().status() == 401);
  }

  @Test
  void theAdminKeyStaysAndIsProtectedLikeAnyLastKey() {
    String adminId = ApiKeys.idOf(server.adminKey()).orElseThrow();
    CliRun list = keys("list", "--farm", ApiKeys.DEFAULT_FARM);
    assertThat(list.out()).contains(adminId).contains(ApiKeys.ADMIN_NOTE);

    CliRun refused = keys("revoke", adminId);

    assertThat(refused.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(refused.err()).contains("last valid key of farm 'default'");
  }

  @Test
  void revokeTakesTheWholeLeakedKeyAndNeverPrintsIt() throws Exception {
    String spare = create();
    String leaked = create("--note", "laptop");

    CliRun revoked = keys("revoke", leaked);
    CliRun again = keys("revoke", leaked);
    CliRun stranger = keys("revoke", "farm_" + "Z".repeat(43));

    assertThat(revoked.exit()).isZero();
    assertThat(revoked.out()).contains("Revoked key " + ApiKeys.idOf(leaked).orElseThrow());
    assertThat(again.exit()).isZero();
    assertThat(again.out()).contains("was already revoked");
    assertThat(stranger.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(stranger.err()).contains("not one of this farm server's keys")
        .doesNotContain("Z".repeat(43));
    for (CliRun run : List.of(revoked, again, stranger)) {
      assertThat(run.out() + run.err()).doesNotContain(leaked.substring(13));
    }
    assertThat(client(spare).listIds()).isEmpty();
  }

  @Test
  void unknownIdsAndFoldersThatAreNoFarmAreNotFound() {
    CliRun unknown = keys("revoke", "nosuchid");
    Path notAFarm = dir.resolve("typo");
    CliRun list = CliRun.of("keys", "list", "--data", notAFarm.toString());
    CliRun revoke = CliRun.of("keys", "revoke", "abc", "--data", notAFarm.toString());

    assertThat(unknown.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(unknown.err()).contains("no key with id 'nosuchid'");
    for (CliRun run : List.of(list, revoke)) {
      assertThat(run.exit()).as("%s", run).isEqualTo(ExitCodes.NOT_FOUND);
      assertThat(run.err()).contains("no Farm data folder at " + notAFarm);
    }
    assertThat(Files.exists(notAFarm)).isFalse();
  }

  @Test
  void createRefusesANonPositiveLifetimeOrABadNoteBeforeTouchingTheFolder() {
    Path fresh = dir.resolve("fresh");
    CliRun zero = CliRun.of("keys", "create", "--farm", "barn", "--expires", "0s",
        "--data", fresh.toString());
    CliRun longNote = CliRun.of("keys", "create", "--farm", "barn", "--note", "n".repeat(201),
        "--data", fresh.toString());

    assertThat(zero.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(zero.err()).contains("lifetime must be positive");
    assertThat(longNote.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(longNote.err()).contains("at most 200 characters");
    assertThat(Files.exists(fresh)).isFalse();
  }
}
