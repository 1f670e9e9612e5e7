package dev.farmapi.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.apiclient.RetryPolicy;
import dev.farmapi.farm.Farm;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code farm serve} killed with SIGKILL at random moments, again and again, and
 * restarted on the same data folder and port, under a stream of concurrent uploads (resumable
 * ones of a few MiB in 256 KiB chunks, small simple and multipart ones); now and then a restart
 * is itself killed during start-up. After every restart
 * each unfinished session must report at least the offset the server acknowledged before the
 * kill; at the end every animal is downloaded and compared with its source, and each resumable
 * upload made exactly one animal.
 *
 * <p>CI: 30 kills. Long run: {@code mvn -B -pl reliability -am verify -Dtest=ServerCrashLoopTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dreliability.kills=300}.
 */
class ServerCrashLoopTest {
  @TempDir Path tmp;

  @Test
  void killedServerLosesNoAcknowledgedByteCorruptsNothingAndDuplicatesNothing()
      throws Exception {
    int kills = Knobs.integer("kills", 30);
    int threads = Knobs.integer("serverCrash.threads", 3);
    int minUpMillis = Knobs.integer("serverCrash.minUpMillis", 200);
    int maxUpMillis = Knobs.integer("serverCrash.maxUpMillis", 1500);
    int startupKillPercent = Knobs.integer("serverCrash.startupKillPercent", 10);
    long seed = Knobs.seed();
    Random random = new Random(seed);
    Tally tally = new Tally("ServerCrashLoopTest");
    for (String shown : List.of("kills", "killsDuringStartup", "uploadsFailed",
        "resumedFromSavedSession")) {
      tally.counter(shown); // in the report even when 0
    }
    AckLedger ledger = new AckLedger();
    List<Source> uploaded = new CopyOnWriteArrayList<>();
    List<AckLedger.Loss> losses = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<CrashLoopClient> clients = new ArrayList<>();
    List<Thread> running = new ArrayList<>();
    long startMillis = 0;

    try (FarmServe serve = FarmServe.on(tmp.resolve("data"), tmp.resolve("serve.log"))) {
      startMillis += serve.start().toMillis();
      // Retries across a restart: refused connections for a second or two, many times over.
      Farm farm = Farm.connect(serve.uri(), Farm.clientBuilder().apiKey(serve.adminKey())
          .retryPolicy(new RetryPolicy(10_000, Duration.ofMillis(50), Duration.ofMillis(500), 2.0,
              Duration.ofMinutes(3)))
          .retryListener(r -> tally.increment("clientRetries"))
          .idleTimeout(Duration.ofSeconds(15))
          .build());
      // The clients know the server before it first dies, as applications that have been
      // talking to it do: a server that never answered a client is not waited for (it fails at
      // once, ServerUnreachableException), one that answered before is, across restarts.
      farm.animals().list(1, null).execute();
      for (int t = 0; t < threads; t++) {
        CrashLoopClient client = new CrashLoopClient("c" + t, farm, ledger, tally,
            random.nextLong(), stop, uploaded);
        clients.add(client);
        Thread thread = new Thread(client, "crash-loop-client-" + t);
        thread.start();
        running.add(thread);
      }

      for (int k = 0; k < kills; k++) {
        Thread.sleep(minUpMillis + random.nextInt(maxUpMillis - minUpMillis + 1));
        serve.kill9();
        tally.increment("kills");
        // The server is dead: every acknowledgement it gave is in the ledger (or about to be,
        // which only makes this check weaker, never wrong).
        Map<URI, AckLedger.Ack> before = ledger.snapshot();
        if (random.nextInt(100) < startupKillPercent) {
          // Once in a while the restart itself crashes, somewhere in its recovery.
          serve.startAndKillAfter(Duration.ofMillis(100 + random.nextInt(1500)));
          tally.increment("killsDuringStartup");
        }
        startMillis += serve.start().toMillis();
        tally.increment("restarts");
        List<AckLedger.Loss> lost = ledger.check(before);
        losses.addAll(lost);
        if (clients.stream().anyMatch(c -> !c.failures().isEmpty())) {
          break; // a client gave up: stop early, the assertions below say why
        }
      }
      stop.set(true);
      for (Thread thread : running) {
        thread.join(Duration.ofMinutes(3).toMillis());
        assertThat(thread.isAlive()).as("%s finishes its last upload", thread.getName()).isFalse();
      }
      tally.set("sessions", ledger.sessions());
      tally.set("unfinishedSessionsCheckedAfterRestart", ledger.checked());
      tally.set("acknowledgedBytesCheckedAfterRestart", ledger.checkedBytes());
      tally.set("restartMillisAverage", startMillis / (tally.get("restarts") + 1));
      FarmAudit audit = FarmAudit.of(farm, uploaded);
      audit.putInto(tally);
      tally.set("lostAcknowledgements", losses.size());
      Map<String, Object> parameters = new LinkedHashMap<>();
      parameters.put("kills", kills);
      parameters.put("threads", threads);
      parameters.put("upMillis", minUpMillis + "-" + maxUpMillis);
      parameters.put("startupKillPercent", startupKillPercent);
      parameters.put("seed", seed);
      tally.write(parameters);

      List<Throwable> failures = clients.stream().flatMap(c -> c.failures().stream()).toList();
      assertThat(failures).as("uploads that failed for good").isEmpty();
      assertThat(losses).as("sessions whose acknowledged bytes a restart lost").isEmpty();
      assertThat(audit.problems()).as("corrupted or missing animals").isEmpty();
      assertThat(audit.corrupted()).isZero();
      assertThat(audit.resumableDuplicates()).as("extra animals of resumable uploads").isZero();
      // The library sends an Idempotency-Key with every one-request upload: a retry after a
      // lost 200 (killed server, broken final answer) gets the first animal back.
      assertThat(audit.singleRequestDuplicates()).as("extra animals of one-request uploads")
          .isZero();
      assertThat(audit.verified()).isEqualTo(audit.animals()).isGreaterThanOrEqualTo(uploaded.size());
      assertThat(tally.get("kills")).isEqualTo(kills);
      assertThat(tally.get("resumableUploads")).as("resumable uploads made").isPositive();
    }
  }
}
