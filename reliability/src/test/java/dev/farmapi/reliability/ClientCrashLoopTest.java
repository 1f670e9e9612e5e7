package dev.farmapi.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farm upload FILE --chunk-size 256K}, the real command in a process of its own, killed
 * with SIGKILL at random points (mostly mid-chunk, some while it starts) and run again with the
 * same command line until it finishes. Each run may re-send at most one chunk: the bytes the
 * server read during the run (its {@code farm_upload_received_bytes_total}) minus the progress
 * of the session's committed offset. The animal's bytes must hash like the file.
 *
 * <p>CI: 15 kills. Long run: {@code mvn -B -pl reliability -am verify -Dtest=ClientCrashLoopTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dreliability.clientKills=200}.
 */
class ClientCrashLoopTest {
  private static final int KIB_256 = 256 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RECEIVED =
      Pattern.compile("(?m)^farm_upload_received_bytes_total (\\S+)$");

  @TempDir Path tmp;

  @Test
  void killedUploadRerunResendsAtMostOneChunkAndStoresTheExactBytes() throws Exception {
    int kills = Knobs.integer("clientKills", 15);
    long seed = Knobs.seed();
    Random random = new Random(seed);
    Tally tally = new Tally("ClientCrashLoopTest");
    for (String shown : List.of("files", "runs", "kills", "resumesPrinted", "sessionsStartedOver",
        "bytesSent", "resentBytes", "maxResentInOneRun")) {
      tally.counter(shown); // in the report even when 0, in this order
    }
    List<String> violations = new ArrayList<>();
    try (TestServer server = TestServer.start(tmp.resolve("data"))) {
      // A fast machine may finish a file in fewer kills than planned (a kill lands when the
      // server's byte counter passes a random mark, and the process sends on until it dies):
      // then the loop goes on with another file, so the number of kills never depends on speed.
      while (tally.get("kills") < kills) {
        tally.increment("files");
        uploadUntilDone(server, kills, random, tally, violations);
      }
      Map<String, Object> parameters = new LinkedHashMap<>();
      parameters.put("clientKills", kills);
      parameters.put("chunk", "256K");
      parameters.put("seed", seed);
      tally.write(parameters);

      assertThat(violations).as("runs that re-sent more than one chunk").isEmpty();
      assertThat(tally.get("verificationFailures")).as("files whose animal differs").isZero();
      assertThat(tally.get("animals")).as("one animal a file").isEqualTo(tally.get("files"));
      assertThat(tally.get("kills")).isEqualTo(kills);
      assertThat(tally.get("resumesPrinted")).as("reruns that said they resumed").isPositive();
    }
  }

  /** One file: {@code farm upload} killed and rerun until it exits 0, then its animal checked. */
  private void uploadUntilDone(TestServer server, int kills, Random random, Tally tally,
      List<String> violations) throws Exception {
    // A kill lands on average ~1 MiB into a run: 1.5 MiB a kill leaves the last run some work.
    int size = Math.toIntExact(kills * 6L * KIB_256 + 12L * KIB_256 + random.nextInt(KIB_256));
    byte[] bytes = Source.bytes(size, random.nextLong());
    String name = "client-crash-" + random.nextLong();
    Path file = Files.write(tmp.resolve(name + ".bin"), bytes);
    Path cache = tmp.resolve("cache");
    List<String> command = List.of("upload", file.toString(), "--server",
        server.uri().toString(), "--key", server.adminKey(), "--chunk-size", "256K",
        "--name", name, "--cache-dir", cache.toString());
    Saved before = Saved.none();
    String summary = null;
    for (int run = 1; summary == null; run++) {
      long receivedBefore = received(server.uri());
      tally.increment("runs");
      try (FarmCommand farm = FarmCommand.start(command)) {
        boolean killNow = tally.get("kills") < kills;
        boolean ended;
        if (!killNow) {
          ended = farm.waitFor(Duration.ofMinutes(2));
        } else if (random.nextInt(100) < 15) {
          // While it starts, initiates or resumes: before or around its first chunk.
          ended = farm.waitFor(Duration.ofMillis(random.nextInt(1500)));
        } else {
          long target = receivedBefore + 64 * 1024 + random.nextInt(7 * KIB_256);
          ended = awaitEndOrReceived(farm, server.uri(), target);
        }
        if (!ended) {
          farm.kill9();
          String out = farm.out().strip();
          if (out.startsWith("Uploaded ")) {
            // The kill landed after the upload completed (its summary is out): nothing was
            // interrupted, and a rerun would be a new upload of the same file, not a resume.
            summary = out;
          } else {
            tally.increment("kills");
          }
        } else {
          assertThat(farm.exitStatus()).as("run %d: %s", run, farm).isZero();
          summary = farm.out().strip();
        }
        if (before.offset() > 0 && farm.err().contains("Resuming at ")) {
          tally.increment("resumesPrinted");
        }
        Saved after = summary == null ? Saved.read(cache) : Saved.complete(before, size);
        long offsetAfter = after.offsetOn(server.uri(), size); // once the killed PUT has ended
        long sent = received(server.uri()) - receivedBefore;
        // The upload's advance, whatever the session: bytes of an abandoned session count
        // as re-sent when a new one starts over.
        long progress = offsetAfter - before.offset();
        long resent = sent - progress;
        tally.add("bytesSent", sent);
        tally.add("resentBytes", resent);
        tally.set("maxResentInOneRun", Math.max(tally.get("maxResentInOneRun"), resent));
        if (before.session() != null && after.session() != null
            && !after.session().equals(before.session())) {
          tally.increment("sessionsStartedOver");
        }
        if (resent > KIB_256 || resent < 0) {
          violations.add("run " + run + " re-sent " + resent + " bytes (sent " + sent
              + ", offset " + before.offset() + " -> " + offsetAfter + ")\n" + farm);
        }
        if (summary == null) {
          before = after.withOffset(offsetAfter);
        }
      }
    }
    // A kill between the upload's end (remembered as finished) and its summary line makes the
    // rerun skip the file: "Skipped NAME: already uploaded as animal ID (...)".
    java.util.regex.Matcher done = java.util.regex.Pattern
        .compile("(?:Uploaded \\S+ as|Skipped \\S+: already uploaded as) animal (\\S+) \\(.*")
        .matcher(summary);
    assertThat(done.matches()).as(summary).isTrue();
    String id = done.group(1);
    FarmTestClient client = server.client();
    tally.set("animals", client.listIds().size());
    boolean exact = FarmTestClient.sha256(client.download(id)).equals(Source.of(name,
        Source.Kind.RESUMABLE, bytes).sha256());
    tally.add("verificationFailures", exact ? 0 : 1);
  }

  /** Polls the server's byte counter until it reaches {@code target} or the process ends. */
  private static boolean awaitEndOrReceived(FarmCommand farm, URI server, long target)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      if (!farm.isAlive()) {
        return true;
      }
      if (received(server) >= target) {
        return false;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("farm upload neither ended nor sent bytes in 2 minutes: " + farm);
  }

  static long received(URI server) throws IOException {
    Matcher m = RECEIVED.matcher(RawHttp.request(server, "GET", "/metrics").send().text());
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  /** What the CLI's cache says of its upload: the session, and an offset (the server's). */
  record Saved(URI session, long offset) {
    static Saved none() {
      return new Saved(null, 0);
    }

    static Saved complete(Saved before, long size) {
      return new Saved(before.session(), size);
    }

    /** The one entry of the cache folder, if the killed run saved one. */
    static Saved read(Path cache) throws IOException {
      Path dir = cache.resolve("uploads");
      if (!Files.isDirectory(dir)) {
        return none();
      }
      try (Stream<Path> files = Files.list(dir)) {
        List<Path> json = files.filter(f -> f.toString().endsWith(".json")).toList();
        if (json.isEmpty()) {
          return none();
        }
        assertThat(json).as("one pending upload in the cache").hasSize(1);
        JsonNode session = JSON.readTree(json.get(0).toFile()).path("session");
        return new Saved(URI.create(session.path("sessionUri").asText()),
            session.path("offset").asLong());
      }
    }

    Saved withOffset(long newOffset) {
      return new Saved(session, newOffset);
    }

    /**
     * The offset the server committed for the session (0 without one), once the killed run's
     * PUT has ended. A status query does not wait for a chunk in flight (it answers the recorded
     * offset at once), so this asks until two answers a quarter of a second apart agree: the
     * killed PUT records what arrived when its connection ends, and then nothing moves.
     */
    long offsetOn(URI server, long size) throws Exception {
      if (offset == size) {
        return size; // complete, even by a first run that no kill reached (no session saved)
      }
      if (session == null) {
        return 0;
      }
      long previous = -1;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        long now = query(server, size);
        if (now == previous) {
          return now;
        }
        previous = now;
        Thread.sleep(250);
      }
      throw new AssertionError("the offset of " + session + " kept moving for 30 s");
    }

    private long query(URI server, long size) {
      RawHttp.Response r = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> RawHttp.request(server, "PUT", FarmTestClient.target(session.toString()))
              .header("Content-Range", "bytes */" + size).body(new byte[0]).send(),
              x -> x.status() == 308 || x.status() == 200);
      if (r.status() == 200) {
        return size;
      }
      String range = r.header("Range");
      return range == null ? 0 : Long.parseLong(range.substring(range.indexOf('-') + 1)) + 1;
    }
  }
}
