package dev.farmapi.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farmapi.server.ApiKeys;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farm keys} against a real {@code farm serve} in another process, sharing its SQLite
 * file: a revocation is seen by the running server within 5 seconds, and a key's secret never
 * shows in the server's logs, {@code /metrics}, {@code farm keys} output or any error message.
 */
class KeysWithRunningServeTest {
  private static final Duration PROMISE = Duration.ofSeconds(5);

  @TempDir Path dir;

  private CliRun keys(Path data, String... args) {
    List<String> all = new ArrayList<>(List.of("keys"));
    all.addAll(List.of(args));
    all.addAll(List.of("--data", data.toString()));
    return CliRun.of(all.toArray(String[]::new));
  }

  private String create(Path data, String... options) {
    List<String> args = new ArrayList<>(List.of("create", "--farm", "barn"));
    args.addAll(List.of(options));
    CliRun created = keys(data, args.toArray(String[]::new));
    assertThat(created.exit()).as("%s", created).isZero();
    return created.out().trim();
  }

  private static int status(URI server, String key) throws Exception {
    return RawHttp.request(server, "GET", "/farm/v1/animals").bearer(key).send().status();
  }

  @Test
  void keysRevokeInAnotherProcessIsRefusedByTheRunningServerWithinFiveSeconds() throws Exception {
    Path data = dir.resolve("data");
    try (ServeProcess serve = ServeProcess.start(data, dir.resolve("serve.log"))) {
      create(data);
      String leaked = create(data, "--note", "leaked");
      assertThat(status(serve.uri(), leaked)).isEqualTo(200); // the server now holds it

      long start = System.nanoTime();
      CliRun revoked = keys(data, "revoke", ApiKeys.idOf(leaked).orElseThrow());
      assertThat(revoked.exit()).as("%s", revoked).isZero();
      await().atMost(PROMISE).pollInterval(Duration.ofMillis(20))
          .until(() -> status(serve.uri(), leaked) == 401);
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      System.out.println("revocation seen by the running server after " + took.toMillis() + " ms");
      assertThat(took).isLessThan(PROMISE);
      assertThat(status(serve.uri(), serve.adminKey())).isEqualTo(200); // nothing else disturbed
    }
  }

  @Test
  void theSecretNeverShowsInLogsMetricsListingsOrErrors() throws Exception {
    Path data = dir.resolve("data");
    Path log = dir.resolve("serve.log");
    List<String> seen = new ArrayList<>();
    String writer;
    String reader;
    try (ServeProcess serve = ServeProcess.start(data, log, Map.of("FARM_LOG_LEVEL", "debug"))) {
      URI s = serve.uri();
      writer = create(data, "--note", "ci");
      reader = create(data, "--read-only");
      seen.add(keys(data, "list").out());

      // Right and wrong requests, the key in the header and in the query, where it is most
      // likely to be echoed or logged.
      FarmTestClient w = FarmTestClient.of(s, writer);
      String q = "?key=" + writer;
      String session = w.initiate("{\"name\":\"Pig\"}", "image/png", 10);
      String unfinished = w.initiate(null, "image/png", 5);
      List<RawHttp.Response> answers = new ArrayList<>(List.of(
          RawHttp.request(s, "GET", "/farm/v1/animals" + q).send(),
          RawHttp.request(s, "POST", "/upload/farm/v1/animals" + q + "&uploadType=media")
              .header("Content-Type", "image/png").body(new byte[10]).send(),
          w.putChunk(session, 0, new byte[10], 10),
          RawHttp.request(s, "GET", "/farm/v1/animals?key=" + writer + "%zz").send(),
          RawHttp.request(s, "GET", "/farm/v1/animals" + q + "&key=" + writer).send(),
          RawHttp.request(s, "GET", "/farm/v1/animals" + q).bearer(reader).send(),
          RawHttp.request(s, "POST", "/farm/v1/whoami" + q).send(),
          RawHttp.request(s, "GET", "/farm/v1/nothing/here" + q).send(),
          RawHttp.request(s, "GET", "/farm/v1/animals/%2e%2e" + q).send(),
          RawHttp.request(s, "POST", "/farm/v1/animals").bearer(reader).json("{}").send(),
          RawHttp.request(s, "GET", "/farm/v1/animals").header("Authorization", writer).send()));
      Path file = Files.write(dir.resolve("pig.png"), new byte[1000]);
      CliRun upload = CliRun.of("upload", file.toString(), "--server", s.toString(),
          "--key", reader, "--cache-dir", dir.resolve("cache").toString(), "--quiet");
      assertThat(upload.exit()).as("%s", upload).isEqualTo(ExitCodes.AUTH);
      seen.add(upload.out() + upload.err());

      CliRun revoked = keys(data, "revoke", writer);
      seen.add(revoked.out() + revoked.err());
      await().atMost(PROMISE).until(() -> status(s, writer) == 401);
      answers.add(RawHttp.request(s, "GET", "/farm/v1/animals" + q).send());
      answers.add(w.putChunk(unfinished, 0, new byte[5], 5)); // its key is revoked
      CliRun list = CliRun.of("animals", "list", "--server", s.toString(), "--key", writer);
      assertThat(list.exit()).as("%s", list).isEqualTo(ExitCodes.AUTH);
      seen.add(list.out() + list.err());
      for (String[] args : new String[][] {{"list"}, {"list", "--all"}, {"list", "--json", "--all"},
          {"revoke", writer}, {"revoke", ApiKeys.idOf(writer).orElseThrow()}}) {
        CliRun run = keys(data, args);
        seen.add(run.out() + run.err());
      }
      seen.add(RawHttp.request(s, "GET", "/metrics").send().text());
      answers.forEach(a -> seen.add(a.toString()));
      assertThat(answers).extracting(RawHttp.Response::status).containsExactly(
          200, 200, 200, 400, 400, 400, 405, 404, 400, 403, 401, 401, 401);
      assertThat(serve.terminate()).isIn(0, ServeProcess.SIGTERM_EXIT);
      seen.add(String.join("\n", serve.stdout()));
      seen.add(serve.stderr());
    }

    String all = String.join("\n", seen);
    assertThat(all).contains(ApiKeys.idOf(writer).orElseThrow(), "insufficientPermissions",
        "farm_upload_received_bytes_total", "Farm server listening"); // what was searched is real
    for (String secret : List.of(writer, reader)) {
      // The id (the first 8 characters after "farm_") is public; nothing after it may show.
      String hidden = secret.substring("farm_".length() + ApiKeys.ID_LENGTH);
      for (int i = 0; i + 12 <= hidden.length(); i += 4) {
        assertThat(all).doesNotContain(hidden.substring(i, i + 12));
      }
    }
  }
}
