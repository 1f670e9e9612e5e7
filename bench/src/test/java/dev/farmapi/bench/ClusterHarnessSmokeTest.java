package dev.farmapi.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.bench.report.Results;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/cluster-run --tiny}, for real, from this build's classes: a local {@code farm
 * serve}, clusters of 1 and 3 nodes by {@code deploy/local-cluster} (PostgreSQL, S3Proxy, nginx),
 * our client as its own process. It checks that every upload verified, that the report has every
 * section with figures from each part, and that nothing is left running or on disk. About a
 * minute (two clusters start), so not in the default build: {@code mvn -pl bench -am test
 * -Dtest=ClusterHarnessSmokeTest -Dsurefire.failIfNoSpecifiedTests=false -Dbench.cluster=true}.
 */
@EnabledIfSystemProperty(named = "bench.cluster", matches = "true")
class ClusterHarnessSmokeTest {

  @Test
  void tinyRunVerifiesEveryUploadReportsEveryPartAndLeavesNothingBehind(@TempDir Path dir)
      throws Exception {
    String cp = System.getProperty("java.class.path");
    Path work = dir.resolve("work");
    ClusterOptions options = ClusterOptions.parse("--tiny", "--out",
        dir.resolve("docs").toString(), "--work", work.toString(), "--server-cp", cp,
        "--client-cp", cp, "--cluster-script",
        Path.of("..", "deploy", "local-cluster").toAbsolutePath().toString());
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    int exit = ClusterBenchMain.run(options, new PrintStream(log, true, StandardCharsets.UTF_8));

    String output = log.toString(StandardCharsets.UTF_8);
    System.out.println(output);
    assertThat(exit).as(output).isZero();
    String md = Files.readString(dir.resolve("docs/CLUSTER-BENCHMARKS.md"));
    assertThat(md).contains("overhead, not speed-up", "## Method", "## Machine",
        "## 1. 4 concurrent uploads", "| 3 nodes via nginx (PostgreSQL + S3Proxy) |",
        "## 2. The local store against the shared stores, per GiB",
        "| 1 node, direct (PostgreSQL + S3Proxy) |", "## 3. Small chunks on S3", "CPU ceiling MiB/s",
        "None: every upload verified");
    Results results = Results.read(dir.resolve("docs/bench/cluster-results.json"));
    assertThat(results.failures()).isEmpty();
    // 3 targets x 4 concurrent uploads, 2 targets x 1 upload twice; no warm-ups at tiny sizes
    assertThat(results.verifiedUploads()).isEqualTo(3 * 4 + 2 + 2);
    String oneNode = "1 node via nginx (PostgreSQL + S3Proxy)";
    for (String part : new String[] {"nodes", "S3Proxy"}) { // the ones that handle the bytes
      assertThat(results.stats("cluster-load", oneNode, part + " cpu s/GiB").median())
          .as(part + " CPU").isPositive();
    }
    for (String part : new String[] {"PostgreSQL", "nginx"}) { // may stay under a 10 ms tick
      assertThat(results.stats("cluster-load", oneNode, part + " cpu s/GiB").median())
          .as(part + " CPU").isNotNegative();
    }
    assertThat(results.stats("cluster-store", "local store (SQLite + folder)",
        "farm serve cpu s/GiB").median()).as("the local server's CPU").isPositive();
    String mark = work.toAbsolutePath() + "/";
    assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
        .map(c -> c.contains(mark)).orElse(false)).toList()).as("left running").isEmpty();
    try (var left = Files.list(work)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("src");
    }
  }
}
