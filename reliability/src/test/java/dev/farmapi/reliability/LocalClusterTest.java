package dev.farmapi.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farmapi.server.testing.ReliabilityReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/local-cluster} as a developer runs it: {@code up --nodes 3} gives a cluster
 * (PostgreSQL, S3Proxy, three {@code farm serve} nodes, nginx) that the real {@code farm upload}
 * and curl use through the balancer; a node SIGKILLed in the middle of an upload loses nothing;
 * {@code restart-node} and {@code down} do what they say. The farm command is this build's
 * ({@code FARM="java -cp ... dev.farmapi.cli.Main"}).
 */
class LocalClusterTest {
  private static final Path SCRIPT = Path.of("..", "deploy", "local-cluster").toAbsolutePath();
  private static final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path work;

  private Process script(Path dir, String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--dir", dir.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("script.log").toFile()));
    pb.environment().put("FARM", String.join(" ",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
        "-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile", ""),
        "-cp", System.getProperty("java.class.path"), "dev.farmapi.cli.Main"));
    return pb.start();
  }

  private void run(Path dir, String... args) throws Exception {
    Process p = script(dir, args);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("local-cluster %s finished", args[0]).isTrue();
    assertThat(p.exitValue()).as("local-cluster %s: %s", args[0],
        Files.readString(work.resolve("script.log"))).isZero();
  }

  /** DIR/cluster.env as a shell would read it (values unquoted). */
  static Map<String, String> env(Path dir) throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String line : Files.readAllLines(dir.resolve("cluster.env"))) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        env.put(line.substring(0, eq), line.substring(eq + 1).replace("\"", ""));
      }
    }
    return env;
  }

  static String sha256(byte[] bytes) throws Exception {
    return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static byte[] download(Map<String, String> env, String id) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(
            env.get("FARM_SERVER") + "farm/v1/animals/" + id + "?alt=media"))
        .header("Authorization", "Bearer " + env.get("FARM_API_KEY")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private static boolean healthy(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url + "healthz"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  /**
   * A key made on the shared database works on every node; {@code farm keys revoke} against the
   * same database is then refused by every node within 5 s (the key cache trusts a key 2 s).
   */
  private void revokedKeyIsRefusedByEveryNodeWithinFiveSeconds(Map<String, String> env,
      List<String> nodes, ReliabilityReport report) throws Exception {
    Map<String, String> password = Map.of("FARM_DATABASE_PASSWORD", env.get("DB_PASSWORD"));
    String database = env.get("DATABASE_URL");
    String key;
    try (FarmCommand create = FarmCommand.start(List.of("keys", "create", "--farm", "default",
        "--note", "leaked", "--database", database), password)) {
      assertThat(create.exitStatus()).as("keys create: %s", create.err()).isZero();
      key = create.out().strip();
    }
    for (String node : nodes) {
      assertThat(listStatus(node, key)).as("the new key on %s", node).isEqualTo(200);
    }
    String id = key.substring("farm_".length(), "farm_".length() + 8);
    long revoked;
    try (FarmCommand revoke = FarmCommand.start(List.of("keys", "revoke", id, "--database",
        database), password)) {
      assertThat(revoke.exitStatus()).as("keys revoke: %s", revoke.err()).isZero();
      revoked = System.nanoTime();
    }
    long slowest = 0;
    for (String node : nodes) {
      while (true) {
        // Timed from when the request left: on a loaded machine an answer the node gave within
        // the 5 s can arrive after them.
        long sent = System.nanoTime();
        if (listStatus(node, key) == 401) {
          slowest = Math.max(slowest, sent - revoked);
          break;
        }
        assertThat(Duration.ofNanos(sent - revoked))
            .as("%s still takes the revoked key", node).isLessThan(Duration.ofSeconds(5));
        Thread.sleep(50);
      }
    }
    assertThat(listStatus(env.get("FARM_SERVER"), env.get("FARM_API_KEY")))
        .as("the other key is undisturbed").isEqualTo(200);
    report.add("nodesRefusingARevokedKey", nodes.size());
    report.max("slowestRevocationMillis", Duration.ofNanos(slowest).toMillis());
  }

  private static int listStatus(String root, String key) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(root + "farm/v1/animals?maxResults=1"))
        .header("Authorization", "Bearer " + key).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void upGivesAThreeNodeFarmThatFarmUploadAndCurlUseAndAKilledNodeLosesNothing()
      throws Exception {
    Path dir = work.resolve("cluster");
    ReliabilityReport report = new ReliabilityReport("LocalClusterTest");
    run(dir, "up", "--nodes", "3");
    Map<String, String> env = env(dir);
    try {
      List<String> nodes = List.of(env.get("NODE_URLS").split(" "));
      assertThat(nodes).hasSize(3).allMatch(LocalClusterTest::healthy);
      assertThat(env.get("NODE_PIDS").split(" ")).hasSize(3);
      assertThat(env.get("FARM_SERVER")).startsWith("http://127.0.0.1:");

      // farm upload through the balancer, 256 KiB chunks; node 1 is SIGKILLed mid-upload.
      byte[] media = new byte[12 << 20];
      new Random(501).nextBytes(media);
      Path file = work.resolve("big.bin");
      Files.write(file, media);
      try (FarmCommand upload = FarmCommand.start(List.of("upload", file.toString(),
          "--server", env.get("FARM_SERVER"), "--key", env.get("FARM_API_KEY"),
          "--chunk-size", "256K", "--json", "--cache-dir", work.resolve("cache").toString()))) {
        Thread.sleep(1500);
        String victim = env.get("NODE_PIDS").split(" ")[0];
        new ProcessBuilder("kill", "-9", victim).start().waitFor();
        report.count("nodeKills");
        assertThat(upload.exitStatus()).as("farm upload: %s", upload.err()).isZero();
        JsonNode animal = new ObjectMapper().readTree(upload.out());
        assertThat(sha256(download(env, animal.get("id").asText()))).isEqualTo(sha256(media));
        report.count("uploadsVerifiedByHash");
      }

      // restart-node brings node 1 back on its port, with a new pid.
      run(dir, "restart-node", "1");
      Map<String, String> after = env(dir);
      assertThat(after.get("NODE_PIDS").split(" ")[0]).isNotEqualTo(
          env.get("NODE_PIDS").split(" ")[0]);
      assertThat(healthy(nodes.get(0))).isTrue();

      // curl: a simple upload through the balancer.
      byte[] small = new byte[300_000];
      new Random(502).nextBytes(small);
      Files.write(work.resolve("small.bin"), small);
      Process curl = new ProcessBuilder("curl", "-sf", "-X", "POST",
          "-H", "Authorization: Bearer " + env.get("FARM_API_KEY"),
          "-H", "Content-Type: application/octet-stream",
          "--data-binary", "@" + work.resolve("small.bin"),
          env.get("FARM_SERVER") + "upload/farm/v1/animals?uploadType=media").start();
      JsonNode made = new ObjectMapper().readTree(curl.getInputStream());
      assertThat(curl.waitFor()).isZero();
      assertThat(sha256(download(env, made.get("id").asText()))).isEqualTo(sha256(small));
      report.count("uploadsVerifiedByHash");

      revokedKeyIsRefusedByEveryNodeWithinFiveSeconds(env, nodes, report);
      report.write();
    } finally {
      run(dir, "down");
    }
    assertThat(dir.resolve("cluster.env")).doesNotExist();
    for (String url : env.get("NODE_URLS").split(" ")) {
      assertThat(healthy(url)).as("%s is down", url).isFalse();
    }
    assertThat(healthy(env.get("FARM_SERVER"))).as("the balancer is down").isFalse();
  }
}
