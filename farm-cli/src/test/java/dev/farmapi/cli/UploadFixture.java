package dev.farmapi.cli;

import static dev.farmapi.server.testing.FarmTestClient.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the upload tests share: a server, a cache folder of their own, files of known bytes, and
 * ways to leave an upload pending (a scripted 503 after some chunks) and to check what the
 * server stored.
 */
final class UploadFixture {
  static final int KIB_256 = 256 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI server;
  private final String key;
  private final Path dir;

  UploadFixture(URI server, String key, Path dir) {
    this.server = server;
    this.key = key;
    this.dir = dir;
  }

  FarmTestClient client() {
    return FarmTestClient.of(server, key);
  }

  Path cacheDir() {
    return dir.resolve("cache");
  }

  UploadCache cache() {
    return UploadCache.locate(cacheDir());
  }

  /** A file of {@code size} pseudo-random bytes. */
  Path file(String name, int size, long seed) throws IOException {
    return Files.write(dir.resolve(name), FarmTestClient.randomBytes(size, seed));
  }

  /** {@code farm upload FILE} against this server and cache, then {@code more}. */
  List<String> upload(Path file, String... more) {
    List<String> args = new ArrayList<>(List.of("upload", file.toString()));
    Collections.addAll(args, more);
    return withServer(args);
  }

  /** {@code farm uploads SUB...} against this server and cache. */
  List<String> uploads(String... sub) {
    List<String> args = new ArrayList<>(List.of("uploads"));
    Collections.addAll(args, sub);
    return withServer(args);
  }

  private List<String> withServer(List<String> args) {
    args.addAll(List.of("--server", server.toString(), "--key", key,
        "--cache-dir", cacheDir().toString()));
    return args;
  }

  /**
   * A retry test for uploads: {@code passes} requests go through untouched (the initiation
   * counts as one), then {@code faults} fire in order. Returns its id, for {@code --header}.
   */
  String retryTest(int passes, String... faults) throws IOException {
    List<String> all = new ArrayList<>(Collections.nCopies(passes, "stall-for-0s-after-0K"));
    Collections.addAll(all, faults);
    return client().retryTest("farm.animals.insert", all.toArray(String[]::new));
  }

  /** The instructions of a retry test not fired yet. */
  int unfired(String retryTest) throws IOException {
    JsonNode test = FarmTestClient.ok(client().request("GET", "/retry_test/" + retryTest).send());
    return test.path("instructions").path("farm.animals.insert").size();
  }

  /**
   * Runs {@code farm upload FILE --chunk-size 256K} so that it fails after {@code chunks} chunks
   * (a 503 before the next one is stored, no retries): the upload is left pending at exactly
   * {@code chunks} × 256 KiB.
   */
  CliRun failAfterChunks(Path file, int chunks) throws IOException {
    String test = retryTest(chunks + 1, "return-503");
    CliRun run = CliRun.of(upload(file, "--chunk-size", "256K", "--retries", "0",
        "--header", "x-retry-test-id: " + test));
    assertThat(run.exit()).as("%s", run).isEqualTo(ExitCodes.SERVER);
    return run;
  }

  /** The saved entry of the one pending upload. */
  UploadCache.Entry onlyEntry() throws IOException {
    List<UploadCache.Entry> all = cache().all();
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  /** A status query on a session, as any client may send it. */
  RawHttp.Response status(UploadCache.Entry entry) throws IOException {
    return client().query(FarmTestClient.target(entry.session().sessionUri().toString()),
        entry.size());
  }

  /** The offset a status query reports (N+1 of {@code Range: bytes=0-N}). */
  long serverOffset(UploadCache.Entry entry) throws IOException {
    return ServeCrashTest.acknowledged(status(entry));
  }

  static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
  }

  /** The animal of the summary line {@code Uploaded NAME as animal ID (...)}. */
  static String idOfSummary(String stdout) {
    String line = stdout.strip();
    assertThat(line).matches("Uploaded \\S+ as animal \\S+ \\(.*\\)");
    return line.split(" ")[4];
  }

  /** The server holds exactly the file's bytes for the animal. */
  void assertStored(String id, Path file) throws IOException {
    assertThat(sha256(client().download(id))).as("SHA-256 of animal %s", id)
        .isEqualTo(sha256(Files.readAllBytes(file)));
  }
}
