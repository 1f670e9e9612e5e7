package dev.farmapi.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.bench.report.Results;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole harness on tiny sizes, for real: a {@code farm serve} child process per benchmark,
 * every client as its own process (ours, the Java peer, the Python peer, curl), dd. It checks
 * that every upload verified and that the report has every section, charts and raw results.
 */
class QuickHarnessSmokeTest {

  @Test
  void tinyRunVerifiesEveryUploadAndWritesTheWholeReport(@TempDir Path dir) throws Exception {
    String cp = System.getProperty("java.class.path");
    Path shm = Path.of("/dev/shm/farm-bench-smoke-" + ProcessHandle.current().pid());
    BenchOptions options = BenchOptions.parse("--tiny", "--out", dir.resolve("docs").toString(),
        "--work", dir.resolve("work").toString(), "--shm", shm.toString(),
        "--server-cp", cp, "--client-cp", cp);
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    int exit = BenchMain.run(options, new PrintStream(log, true, StandardCharsets.UTF_8));

    String output = log.toString(StandardCharsets.UTF_8);
    System.out.println(output); // per-benchmark timings, in the surefire output file
    Path report = dir.resolve("docs/BENCHMARKS.md");
    String md = Files.readString(report);
    assertThat(exit).as(output).isZero();
    assertThat(md).contains("## Method", "## Machine", "## Goals", "## 2. Durable throughput",
        "## 3. Client efficiency", "## 4. Memory", "## 5. Server under load",
        "## 6. Many small files", "## 7. Chunk-size sweep", "## 8. One small upload",
        "## 9. Over a wide-area link", "## 10. Downloads", "## Before / after",
        "## Runs that did not count", "None: every upload verified");
    assertThat(md).doesNotContain("| not run |");
    Results results = Results.read(dir.resolve("docs/bench/results.json"));
    assertThat(results.failures()).isEmpty();
    // 1 + 4 durable, 4 efficiency, 2 memory, 4 load, 4 x 20 small, 2 x 2 sweep, 3 one, 4 wan,
    // 1 + 20 to download
    assertThat(results.verifiedUploads()).isEqualTo(4 + 4 + 2 + 4 + 80 + 4 + 3 + 4 + 21);
    // 3 subjects of the large download, each also with one small picture (its start-up); of the
    // small ones, farm download ID... if this build takes several ids (else a note says so), the
    // library, Python and curl
    boolean manyIds = results.notes("downloads").isEmpty();
    assertThat(results.verifiedDownloads()).isEqualTo(2 * 3 + 20 * (manyIds ? 4 : 3));
    assertThat(dir.resolve("docs/bench")).isDirectoryContaining("glob:**/durable.png")
        .isDirectoryContaining("glob:**/cpu.png").isDirectoryContaining("glob:**/sweep.png");
    assertThat(shm).doesNotExist();
  }
}
