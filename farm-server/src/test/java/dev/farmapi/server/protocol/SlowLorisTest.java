package dev.farmapi.server.protocol;

import static dev.farmapi.server.protocol.ResumableUploadTest.K256;
import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.ReliabilityReport;
import dev.farmapi.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow-loris crowd (connections that send their headers, or a chunk's body, one byte at a
 * time) does not starve real uploads, and once it goes quiet the server's idle and body
 * timeouts cut every one of its connections.
 */
class SlowLorisTest {
  static final int HEADER_CROWD = 200;
  static final int BODY_CROWD = 40;
  static final int REAL_UPLOADS = 8;

  @TempDir Path dir;

  @Test
  void slowLorisCrowdDoesNotStarveRealUploadsAndIsCutOffOnceItGoesQuiet() throws Exception {
    ReliabilityReport report = new ReliabilityReport("SlowLorisTest");
    ExecutorService pool = Executors.newCachedThreadPool();
    ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
    try (TestServer server = TestServer.start(dir, b -> b
        .idleTimeout(Duration.ofSeconds(3))
        .bodyTimeout(Duration.ofSeconds(3)))) {
      FarmTestClient farm = server.clientOfNewFarm();
      List<Crowd> crowd = new ArrayList<>();
      for (int i = 0; i < HEADER_CROWD; i++) {
        crowd.add(Crowd.open(server, "PUT /upload/farm/v1/animals?uploadType=resumable HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\nX-Slow: "));
      }
      for (int i = 0; i < BODY_CROWD; i++) {
        String session = farm.initiate(null, "image/png", 2 * K256);
        crowd.add(Crowd.open(server, "PUT " + session + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Range: bytes 0-262143/524288\r\nContent-Length: 262144\r\n\r\n"));
      }
      report.max("slowLorisConnectionsOpened", crowd.size());
      // One byte per connection every 500 ms: well inside the 3 s timeouts, so the header crowd
      // holds on; the body crowd is cut after 3 s by the minimum body rate.
      var dripping = drip.scheduleAtFixedRate(() -> crowd.forEach(Crowd::dripOneByte),
          0, 500, TimeUnit.MILLISECONDS);

      List<CompletableFuture<Void>> uploads = new ArrayList<>();
      for (int i = 0; i < REAL_UPLOADS; i++) {
        byte[] media = FarmTestClient.randomBytes(4 * K256 + 100 * i, 500 + i);
        uploads.add(CompletableFuture.runAsync(() -> {
          try {
            JsonNode animal = farm.uploadResumable("{\"name\":\"real\"}", media, K256);
            assertStored(farm, animal, media);
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        }, pool));
      }
      CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new)).get();
      long held = crowd.stream().filter(c -> !c.cut).count();
      report.add("realUploadsVerifiedDuringCrowd", REAL_UPLOADS);
      report.max("slowLorisConnectionsHeldDuringUploads", held);
      assertThat(held).as("the crowd was still connected while the real uploads completed")
          .isGreaterThan(crowd.size() / 2);

      // The crowd goes quiet: every connection must be cut by the server, not by us.
      dripping.cancel(false);
      drip.shutdown();
      drip.awaitTermination(5, TimeUnit.SECONDS);
      int answered408 = 0;
      for (Crowd c : crowd) {
        String answer = c.readUntilClosed(Duration.ofSeconds(30));
        if (answer.startsWith("HTTP/1.1 408")) {
          answered408++;
        }
      }
      report.add("slowLorisConnectionsCutByServer", crowd.size());
      report.add("slowLorisAnswered408", answered408);
      assertThat(answered408).as("slow bodies end with 408 requestTimeout")
          .isGreaterThanOrEqualTo(BODY_CROWD);

      byte[] after = FarmTestClient.randomBytes(K256 + 1, 599);
      assertStored(farm, farm.uploadResumable(null, after, K256), after);
      report.write();
    } finally {
      drip.shutdownNow();
      pool.shutdownNow();
    }
  }

  @Test
  void dripFedBodiesHoldNoWorkerAndAreCutByTheMinimumRate() throws Exception {
    // Twenty times more dripping bodies (40) than workers (2): each sends a byte every 500 ms,
    // never silent for the 2 s body timeout, but far below the minimum rate. A body that
    // arrives slowly waits without a thread, so the workers stay free for real uploads.
    ReliabilityReport report = new ReliabilityReport("SlowLorisMinRateTest");
    ExecutorService pool = Executors.newCachedThreadPool();
    ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
    try (TestServer server = TestServer.start(dir, b -> b.workers(2)
        .idleTimeout(Duration.ofSeconds(3)).bodyTimeout(Duration.ofSeconds(2)))) {
      FarmTestClient farm = server.clientOfNewFarm();
      List<Crowd> crowd = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String session = farm.initiate(null, "image/png", 2 * K256);
        crowd.add(Crowd.open(server, "PUT " + session + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Range: bytes 0-262143/524288\r\nContent-Length: 262144\r\n\r\n"));
      }
      var dripping = drip.scheduleAtFixedRate(() -> crowd.forEach(Crowd::dripOneByte), 0, 500,
          TimeUnit.MILLISECONDS);

      List<CompletableFuture<Void>> uploads = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        byte[] media = FarmTestClient.randomBytes(2 * K256 + 10 * i, 700 + i);
        uploads.add(CompletableFuture.runAsync(() -> {
          try {
            assertStored(farm, farm.uploadResumable(null, media, K256), media);
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        }, pool));
      }
      // A thread per dripping body would take both workers for as long as it drips.
      CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new))
          .get(20, TimeUnit.SECONDS);
      report.add("realUploadsVerifiedDuringCrowd", uploads.size());

      int answered408 = 0;
      for (Crowd c : crowd) {
        if (c.readUntilClosed(Duration.ofSeconds(30)).startsWith("HTTP/1.1 408")) {
          answered408++;
        }
      }
      dripping.cancel(false);
      assertThat(answered408).as("every dripping body ends in 408").isEqualTo(crowd.size());
      String metrics = farm.request("GET", "/metrics").send().text();
      assertThat(metrics).containsPattern(
          "farm_connections_cut_total\\{reason=\"bodyTooSlow\"} 40\\.0");
      assertThat(metrics).containsPattern(
          "farm_errors_total\\{reason=\"requestTimeout\",status=\"408\"} 40\\.0");
      report.add("slowBodiesCutByMinimumRate", answered408);
      report.write();
    } finally {
      drip.shutdownNow();
      pool.shutdownNow();
    }
  }

  /** One slow-loris connection: sent its head (partial or whole), then drips. */
  private static final class Crowd {
    final Socket socket;
    volatile boolean cut;

    private Crowd(Socket socket) {
      this.socket = socket;
    }

    static Crowd open(TestServer server, String head) throws IOException {
      Socket socket = new Socket("127.0.0.1", server.uri().getPort());
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return new Crowd(socket);
    }

    void dripOneByte() {
      if (cut) {
        return;
      }
      try {
        OutputStream out = socket.getOutputStream();
        out.write('a');
        out.flush();
      } catch (IOException e) {
        cut = true; // the server closed it
      }
    }

    /** What the server sent before it closed the connection (a reset counts as closed). */
    String readUntilClosed(Duration within) throws IOException {
      socket.setSoTimeout((int) within.toMillis());
      StringBuilder answer = new StringBuilder();
      try (Socket s = socket) {
        InputStream in = s.getInputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) >= 0) {
          answer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        }
      } catch (java.net.SocketTimeoutException e) {
        throw new AssertionError("the server kept a silent slow-loris connection open for "
            + within + "; it answered: " + answer, e);
      } catch (IOException e) {
        // reset: closed by the server
      }
      return answer.toString();
    }
  }
}
