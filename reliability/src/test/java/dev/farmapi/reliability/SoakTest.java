package dev.farmapi.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.apiclient.RetryPolicy;
import dev.farmapi.apiclient.testing.LiveServer;
import dev.farmapi.farm.Farm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many uploads under a steady drizzle of faults: thousands of small ones (16-200 KiB, simple,
 * multipart and resumable) and some large resumable ones (8-64 MiB), from a few threads, with
 * about 5% of requests failed by the retry-test API (error statuses, resets, errors after part
 * of a body, broken final answers, short stalls). Each animal is downloaded and compared with
 * its source; at the end the farm holds exactly one animal per resumable upload.
 *
 * <p>CI: 1000 small + 6 large of 16 MiB. Long run: {@code mvn -B -pl reliability -am verify
 * -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false -Dreliability.soakSmall=5000
 * -Dreliability.soakLarge=40 -Dreliability.soakLargeMinMiB=8 -Dreliability.soakLargeMaxMiB=64}.
 */
class SoakTest {
  private static final int KIB = 1024;
  private static final int MIB = 1024 * KIB;

  @TempDir Path tmp;

  @Test
  void uploadsUnderRandomFaultsAllVerifyAndNoneIsDuplicated() throws Exception {
    int small = Knobs.integer("soakSmall", 1000);
    int large = Knobs.integer("soakLarge", 6);
    int largeMin = Knobs.integer("soakLargeMinMiB", 16);
    int largeMax = Knobs.integer("soakLargeMaxMiB", 16);
    int threads = Knobs.integer("soakThreads", 3);
    double faultRate = Knobs.integer("faultPercent", 5) / 100.0;
    long seed = Knobs.seed();
    Random random = new Random(seed);
    Tally tally = new Tally("SoakTest");
    for (String zero : List.of("uploadsFailed", "verificationFailures")) {
      tally.counter(zero);
    }
    Queue<SoakClient.Job> jobs = new ConcurrentLinkedQueue<>(jobs(random, small, large,
        largeMin, largeMax));
    List<Source> uploaded = new CopyOnWriteArrayList<>();

    try (LiveServer server = LiveServer.start(Files.createDirectories(tmp.resolve("data")))) {
      Farm farm = Farm.connect(server.uri(), Farm.clientBuilder().apiKey(server.key())
          .retryPolicy(new RetryPolicy(10, Duration.ofMillis(10), Duration.ofMillis(200), 2.0,
              Duration.ofMinutes(2)))
          .retryListener(r -> tally.increment("retries"))
          .idleTimeout(Duration.ofSeconds(10))
          .build());
      List<SoakClient> clients = new ArrayList<>();
      List<Thread> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        SoakClient client = new SoakClient(server, farm, jobs, tally, faultRate,
            Files.createDirectories(tmp.resolve("media-" + t)), random.nextLong(), uploaded);
        clients.add(client);
        Thread thread = new Thread(client, "soak-client-" + t);
        thread.start();
        running.add(thread);
      }
      for (Thread thread : running) {
        thread.join(Duration.ofMinutes(30).toMillis());
        assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
      }
      FarmAudit audit = FarmAudit.of(farm, uploaded, false);
      audit.putInto(tally);
      tally.set("serverReceivedBytes", (long) server.metric("farm_upload_received_bytes_total"));
      Map<String, Object> parameters = new LinkedHashMap<>();
      parameters.put("small", small);
      parameters.put("large", large);
      parameters.put("largeMiB", largeMin + "-" + largeMax);
      parameters.put("threads", threads);
      parameters.put("faultPercent", (int) Math.round(faultRate * 100));
      parameters.put("seed", seed);
      tally.write(parameters);

      List<String> problems = clients.stream().flatMap(c -> c.problems().stream()).toList();
      assertThat(problems).as("failed uploads and verifications").isEmpty();
      assertThat(tally.get("verificationFailures")).isZero();
      assertThat(tally.get("downloadsVerified")).isEqualTo(small + large);
      assertThat(audit.problems()).as("animals matching no upload, uploads without animal")
          .isEmpty();
      assertThat(audit.resumableDuplicates()).as("extra animals of resumable uploads").isZero();
      // The library sends an Idempotency-Key with every one-request upload: a retry after a
      // lost 200 (killed server, broken final answer) gets the first animal back.
      assertThat(audit.singleRequestDuplicates()).as("extra animals of one-request uploads")
          .isZero();
      assertThat(tally.get("faultsInjected")).as("faults that fired").isPositive();
    }
  }

  /** Small jobs of the three kinds and large resumable ones, shuffled. */
  private static List<SoakClient.Job> jobs(Random random, int small, int large, int largeMin,
      int largeMax) {
    Source.Kind[] kinds = Source.Kind.values();
    List<SoakClient.Job> all = new ArrayList<>();
    for (int i = 0; i < small; i++) {
      all.add(new SoakClient.Job(i, kinds[random.nextInt(kinds.length)],
          16 * KIB + random.nextInt(184 * KIB + 1), 256 * KIB, random.nextLong()));
    }
    long[] chunks = {MIB, 2 * MIB, 4 * MIB, 8 * MIB};
    for (int i = 0; i < large; i++) {
      long size = (long) (largeMin + random.nextInt(largeMax - largeMin + 1)) * MIB
          + random.nextInt(MIB);
      all.add(new SoakClient.Job(small + i, Source.Kind.RESUMABLE, size,
          chunks[random.nextInt(chunks.length)], random.nextLong()));
    }
    Collections.shuffle(all, random);
    return all;
  }
}
