package dev.farmapi.server.interop;

import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.ClusterNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.ReliabilityReport;
import dev.farmapi.server.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-node cluster under failure: the S3 store unreachable for 10 s, PostgreSQL crashing and
 * coming back, and nodes killed with SIGKILL every few seconds while our client and the Python
 * client upload through the balancer. Every upload is checked by hash; the counts go to
 * docs/RELIABILITY.md. Short here (CI); the chaos runs longer with {@code -Dcluster.chaosSeconds}.
 */
class ClusterFaultsTest {
  static final int K256 = 256 * 1024;
  static final ReliabilityReport report = new ReliabilityReport("ClusterFaultsTest");

  @RegisterExtension static final TestCluster cluster = TestCluster.of(3);

  @TempDir Path work;

  @AfterAll
  static void writeReport() throws Exception {
    report.write();
  }

  @Test
  void anS3OutageOfTenSecondsIsA503AndTheUploadThenFinishes() throws Exception {
    FarmTestClient farm = cluster.clientOfNewFarm();
    byte[] media = FarmTestClient.randomBytes(40 * K256 + 17, 401);
    ReliabilityReport local = new ReliabilityReport("s3-outage");
    Thread outage = new Thread(() -> {
      try {
        Thread.sleep(300);
        cluster.s3().stop();
        Thread.sleep(10_000);
        cluster.s3().restart();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    outage.start();

    JsonNode animal = new ResilientUploader(farm, local, Duration.ofSeconds(60))
        .upload(media, K256);
    outage.join();

    assertStored(farm, animal, media);
    assertThat(local.get("answers503")).as("clients saw 503s while S3 was down").isPositive();
    assertThat(farm.listIds()).containsExactly(animal.get("id").asText());
    report.add("s3Outage503s", local.get("answers503"));
    report.count("s3OutageUploadsVerified");
  }

  @Test
  void aPostgresCrashAndRestartMidUploadLosesNothing() throws Exception {
    FarmTestClient farm = cluster.clientOfNewFarm();
    byte[] media = FarmTestClient.randomBytes(40 * K256 + 3, 402);
    ReliabilityReport local = new ReliabilityReport("pg-restart");
    java.util.concurrent.atomic.AtomicLong crashedAt = new java.util.concurrent.atomic.AtomicLong();
    Thread crash = new Thread(() -> {
      try {
        Thread.sleep(300);
        cluster.postgres().crash();
        crashedAt.set(System.nanoTime());
        Thread.sleep(3_000);
        cluster.postgres().restart();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    crash.start();

    JsonNode animal = new ResilientUploader(farm, local, Duration.ofSeconds(60))
        .upload(media, K256);
    long finishedAt = System.nanoTime();
    crash.join();

    // The nodes either answered 503 while the database was away or waited for it (the pool
    // waits up to 10 s for a connection): both are fine, as long as nothing acknowledged is lost.
    assertThat(crashedAt.get()).as("the crash came before the upload finished").isPositive()
        .isLessThan(finishedAt);
    assertStored(farm, animal, media);
    assertThat(farm.listIds()).containsExactly(animal.get("id").asText());
    report.add("postgresRestartFailuresSeen", local.get("answers503") + local.get("answers502")
        + local.get("droppedConnections"));
    report.count("postgresRestartUploadsVerified");
  }

  @Test
  void killingARandomNodeEveryFewSecondsLosesNoAcknowledgedByteAndDuplicatesNothing()
      throws Exception {
    long seconds = Long.getLong("cluster.chaosSeconds", 20);
    FarmTestClient farm = cluster.clientOfNewFarm();
    AtomicBoolean chaos = new AtomicBoolean(true);
    Random random = new Random(403);
    ExecutorService clients = Executors.newFixedThreadPool(3);
    List<JsonNode> animals = Collections.synchronizedList(new ArrayList<>());
    // What each upload sent, as the size and seed that make it again: a long run's bytes would
    // not fit in the heap.
    List<Source> sources = Collections.synchronizedList(new ArrayList<>());
    try {
      List<Future<?>> running = new ArrayList<>();
      // Ours in 256 KiB chunks and in 8 MiB chunks, and the Python client, until chaos stops.
      for (int chunk : new int[] {K256, 8 << 20}) {
        running.add(clients.submit(() -> {
          int n = 0;
          while (chaos.get()) {
            Source source = new Source(chunk == K256 ? 3 << 20 : 20 << 20, chunk + n++);
            JsonNode animal = new ResilientUploader(farm, report, Duration.ofSeconds(90))
                .upload(source.bytes(), chunk);
            animals.add(animal);
            sources.add(source);
          }
          return null;
        }));
      }
      running.add(clients.submit(() -> {
        int n = 0;
        while (chaos.get()) {
          Source source = new Source(2 << 20, 900 + n);
          Path file = work.resolve("py-" + n++ + ".bin");
          Files.write(file, source.bytes());
          PythonRunner.Result result = PythonRunner.against(cluster.uri(), farm.key(), work)
              .run("upload.py", file.getFileName().toString(), "--mimetype",
                  "application/octet-stream", "--resumable", "--chunksize",
                  Integer.toString(K256), "--max-errors", "100");
          report.add("pythonErrorsRiddenOver", result.json().path("errors").size());
          report.count("pythonUploadsCompleted");
          animals.add(result.json().get("animal"));
          sources.add(source);
          Files.delete(file);
        }
        return null;
      }));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < end) {
        Thread.sleep(2_000 + random.nextInt(2_000));
        ClusterNode victim = cluster.node(random.nextInt(cluster.nodes().size()));
        victim.kill();
        report.count("nodeKills");
        Thread.sleep(500);
        victim.start();
      }
      chaos.set(false);
      for (Future<?> f : running) {
        f.get(3, TimeUnit.MINUTES);
      }
    } finally {
      chaos.set(false);
      clients.shutdownNow();
      for (ClusterNode node : cluster.nodes()) {
        if (!node.isAlive()) {
          node.start();
        }
      }
    }

    for (int i = 0; i < animals.size(); i++) {
      assertStored(farm, animals.get(i), sources.get(i).bytes());
      report.count("uploadsVerifiedByHash");
    }
    List<String> ids = farm.listIds();
    report.add("duplicateAnimals", ids.size() - animals.size());
    assertThat(ids).as("one animal per upload: no duplicates").hasSize(animals.size());
    assertThat(report.get("acknowledgedBytesLost")).isZero();
    assertThat(report.get("nodeKills")).isPositive();
  }

  /** Media made again from its size and seed ({@link FarmTestClient#randomBytes}). */
  private record Source(int size, long seed) {
    byte[] bytes() {
      return FarmTestClient.randomBytes(size, seed);
    }
  }
}
