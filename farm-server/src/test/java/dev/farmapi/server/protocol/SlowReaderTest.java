package dev.farmapi.server.protocol;

import static dev.farmapi.server.protocol.ResumableUploadTest.K256;
import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.ReliabilityReport;
import dev.farmapi.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads read by clients that take their bytes slowly (a "slow read" attack) hold no worker
 * while they wait, so real uploads and downloads go on with two workers; and a reader that stays
 * below the minimum rate past the body timeout has its connection cut.
 */
class SlowReaderTest {
  static final int READERS = 24;

  @TempDir Path dir;

  @Test
  void slowReadersHoldNoWorkerAndAreCutBelowTheMinimumRate() throws Exception {
    ReliabilityReport report = new ReliabilityReport("SlowReaderTest");
    ExecutorService pool = Executors.newCachedThreadPool();
    List<Socket> readers = new ArrayList<>();
    // 1 MiB/s past a 2 s timeout: a reader taking 1 KiB/s is cut within seconds, although
    // what the kernel's send buffer takes (megabytes on loopback) counts as taken.
    try (TestServer server = TestServer.start(dir, b -> b.workers(2)
        .bodyTimeout(Duration.ofSeconds(2)).minBodyRate(1 << 20))) {
      FarmTestClient farm = server.clientOfNewFarm();
      byte[] big = FarmTestClient.randomBytes(16 << 20, 900);
      String id = farm.insertSimple(big, "application/octet-stream").path("id").asText();
      for (int i = 0; i < READERS; i++) {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096); // a small window, as slowhttptest -X advertises
        socket.connect(new InetSocketAddress("127.0.0.1", server.uri().getPort()));
        socket.getOutputStream().write(("GET /farm/v1/animals/" + id + "?alt=media&key="
            + farm.key() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        readers.add(socket);
      }
      List<CompletableFuture<Long>> crowd = new ArrayList<>();
      for (Socket s : readers) {
        crowd.add(CompletableFuture.supplyAsync(() -> readSlowly(s), pool));
      }

      long t0 = System.nanoTime();
      for (int i = 0; i < 4; i++) {
        byte[] media = FarmTestClient.randomBytes(2 * K256 + i, 910 + i);
        assertStored(farm, farm.uploadResumable(null, media, K256), media);
      }
      assertThat(FarmTestClient.sha256(farm.download(id))).isEqualTo(FarmTestClient.sha256(big));
      long servedMillis = (System.nanoTime() - t0) / 1_000_000;
      report.add("realUploadsVerifiedDuringSlowReads", 4);
      report.add("realDownloadsVerifiedDuringSlowReads", 1);
      assertThat(crowd).as("the slow readers still read while real clients were served")
          .anyMatch(f -> !f.isDone());

      long cut = 0;
      for (CompletableFuture<Long> reader : crowd) {
        long got = reader.get(60, TimeUnit.SECONDS);
        assertThat(got).as("a slow reader got only part of the download").isLessThan(big.length);
        cut++;
      }
      String metrics = farm.request("GET", "/metrics").send().text();
      assertThat(metrics).contains(
          "farm_connections_cut_total{reason=\"responseTooSlow\"} " + READERS + ".0");
      report.add("slowReadersCut", cut);
      report.add("realClientsServedMillis", servedMillis);
      report.write();
    } finally {
      pool.shutdownNow();
      for (Socket s : readers) {
        s.close();
      }
    }
  }

  /** Reads 1 KiB a second until the server closes the connection; returns the bytes read. */
  private static long readSlowly(Socket socket) {
    long total = 0;
    byte[] buffer = new byte[1024];
    try (socket) {
      socket.setSoTimeout(60_000);
      InputStream in = socket.getInputStream();
      for (int n; (n = in.read(buffer)) >= 0; ) {
        total += n;
        Thread.sleep(1000);
      }
    } catch (IOException e) {
      // reset by the server: cut
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return total;
  }
}
