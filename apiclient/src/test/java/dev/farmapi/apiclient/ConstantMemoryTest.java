package dev.farmapi.apiclient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.apiclient.testing.ChildJvm;
import dev.farmapi.apiclient.testing.LiveServer;
import dev.farmapi.apiclient.testing.MemoryProbeUpload;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Memory does not grow with the file or the chunk: a JVM with a 64 MiB heap uploads a 256 MiB
 * file in 8 MiB and in 64 MiB chunks. A 64 MiB chunk cannot fit in that heap, so completing
 * proves no chunk is buffered. The heap figures are measured and printed, not asserted on.
 */
class ConstantMemoryTest {
  static final long MIB = 1024 * 1024;
  static final long SIZE = 256 * MIB;

  @TempDir static Path dir;
  static LiveServer server;
  static Path file;
  static String fileSha256;

  @BeforeAll
  static void start() throws Exception {
    server = LiveServer.start(dir.resolve("server"), b -> b.shutdownGrace(Duration.ofMillis(100)));
    file = LiveServer.randomFile(dir.resolve("big.bin"), SIZE, 256);
    fileSha256 = LiveServer.sha256(file);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @ParameterizedTest(name = "{0} MiB chunks")
  @ValueSource(longs = {8, 64})
  void jvmWithA64MiBHeapUploads256MiBWithoutBufferingAChunk(long chunkMiB) throws Exception {
    Path stderr = dir.resolve("child-" + chunkMiB + ".err");
    Process child = ChildJvm.start(MemoryProbeUpload.class, List.of("-Xmx64m", "-XX:+UseSerialGC"),
        stderr, server.uri().toString(), server.key(), file.toString(),
        Long.toString(chunkMiB * MIB), "file");
    String result = resultOf(child);

    assertThat(child.exitValue()).as("child exit; stderr: %s", Files.readString(stderr))
        .isZero();
    assertThat(result).isNotNull();
    Map<String, String> figures = new LinkedHashMap<>();
    for (String pair : result.substring(7).split(" ")) {
      figures.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
    }
    assertThat(server.downloadSha256(figures.get("animal"))).isEqualTo(fileSha256);
    System.out.printf("constant memory: 256 MiB file, %d MiB chunks, -Xmx64m: heap retained"
            + " after GC at most %.1f MiB, sampled peak %.1f MiB (max heap %.1f MiB),"
            + " %s checkpoints, %s ms%n",
        chunkMiB, mib(figures.get("retainedMaxBytes")), mib(figures.get("sampledMaxBytes")),
        mib(figures.get("maxHeapBytes")),
        figures.get("checkpoints"), figures.get("millis"));
  }

  /**
   * The control that shows the heap is small enough to notice buffering: a stream of unknown
   * size has to keep its current chunk to resend it, and 64 MiB of it do not fit.
   */
  @org.junit.jupiter.api.Test
  void sameJvmRunsOutOfHeapWhenTheSourceForcesAChunkIntoMemory() throws Exception {
    Path stderr = dir.resolve("child-stream.err");
    Process child = ChildJvm.start(MemoryProbeUpload.class, List.of("-Xmx64m", "-XX:+UseSerialGC"),
        stderr, server.uri().toString(), server.key(), file.toString(),
        Long.toString(64 * MIB), "stream");

    assertThat(resultOf(child)).isNull();
    assertThat(child.exitValue()).isNotZero();
    assertThat(Files.readString(stderr)).contains("OutOfMemoryError");
  }

  private static String resultOf(Process child) throws Exception {
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      return out.lines().filter(l -> l.startsWith("result ")).findFirst().orElse(null);
    } finally {
      if (!child.waitFor(60, TimeUnit.SECONDS)) {
        child.destroyForcibly();
        child.waitFor();
      }
    }
  }

  private static double mib(String bytes) {
    return Long.parseLong(bytes) / (double) MIB;
  }
}
