package dev.farmapi.server.protocol;

import static dev.farmapi.server.protocol.ResumableUploadTest.K256;
import static dev.farmapi.server.testing.ProtocolAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's limits answer at once: a request past the limit of requests in flight gets 503
 * with {@code Retry-After} (not a wait), one past its farm's share gets 429 while other farms go
 * on, a connection past its address's limit is closed; {@code /healthz} answers throughout, and
 * {@code /metrics} counts each refusal.
 */
class AdmissionTest {
  @TempDir Path dir;

  @Test
  void requestPastTheLimitIsRefusedAtOnceWithRetryAfterWhileHealthAnswers() throws Exception {
    try (TestServer server = TestServer.start(dir, b -> b.maxConcurrentRequests(4)
        .maxRequestsPerFarm(4).bodyTimeout(Duration.ofSeconds(30)));
        Crowd crowd = new Crowd()) {
      FarmTestClient farm = server.clientOfNewFarm();
      crowd.chunksWithoutBody(server, sessions(server, farm, 4));
      // The four are in flight (their bodies never come): the server is at its limit.
      await().atMost(Duration.ofSeconds(10)).until(() -> metric(server,
          "farm_requests_inflight") == 4);

      long t0 = System.nanoTime();
      RawHttp.Response refused = farm.request("GET", "/farm/v1/animals").send();
      long millis = (System.nanoTime() - t0) / 1_000_000;

      assertError(refused, 503, "serverBusy");
      assertThat(refused.header("Retry-After")).isEqualTo("1");
      assertThat(millis).as("answered at once, not after a wait").isLessThan(2000);
      assertThat(farm.request("GET", "/healthz").send().status()).isEqualTo(200);
      assertThat(metric(server, "farm_requests_refused_total{reason=\"overloaded\"}"))
          .isEqualTo(1);
      assertThat(metric(server, "farm_errors_total{reason=\"serverBusy\",status=\"503\"}"))
          .isEqualTo(1);

      crowd.close(); // the bodies' clients go away: their slots come back
      await().atMost(Duration.ofSeconds(10)).until(() -> metric(server,
          "farm_requests_inflight") == 0);
      assertThat(farm.request("GET", "/farm/v1/animals").send().status()).isEqualTo(200);
    }
  }

  @Test
  void farmPastItsShareGets429WhileAnotherFarmIsServed() throws Exception {
    try (TestServer server = TestServer.start(dir, b -> b.maxConcurrentRequests(8)
        .maxRequestsPerFarm(3).bodyTimeout(Duration.ofSeconds(30)));
        Crowd crowd = new Crowd()) {
      FarmTestClient flooding = server.clientOfNewFarm();
      FarmTestClient other = server.clientOfNewFarm();
      crowd.chunksWithoutBody(server, sessions(server, flooding, 3));
      await().atMost(Duration.ofSeconds(10)).until(() -> metric(server,
          "farm_requests_inflight") == 3);

      // In flight is counted at the door, the farm's share once the worker knows the farm:
      // a request that came before the third was counted to its farm may still pass.
      RawHttp.Response[] last = new RawHttp.Response[1];
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        last[0] = flooding.request("GET", "/farm/v1/animals").send();
        return last[0].status() != 200;
      });
      RawHttp.Response refused = last[0];
      assertError(refused, 429, "rateLimitExceeded");
      assertThat(refused.header("Retry-After")).isEqualTo("1");
      byte[] media = FarmTestClient.randomBytes(1000, 5);
      assertThat(FarmTestClient.ok(other.request("POST", "/upload/farm/v1/animals?uploadType=media")
          .header("Content-Type", "image/png").body(media).send()).path("mediaSize").asText())
          .isEqualTo("1000");
      assertThat(metric(server, "farm_requests_refused_total{reason=\"farmShare\"}"))
          .isEqualTo(1);
    }
  }

  @Test
  void connectionPastItsAddressLimitIsClosedAndCounted() throws Exception {
    try (TestServer server = TestServer.start(dir, b -> b.maxConnectionsPerAddress(3));
        Crowd crowd = new Crowd()) {
      FarmTestClient farm = server.clientOfNewFarm();
      for (int i = 0; i < 3; i++) {
        crowd.keptAlive(server); // answered, so counted before the fourth opens
      }
      try (Socket fourth = new Socket("127.0.0.1", server.uri().getPort())) {
        fourth.setSoTimeout(5000);
        fourth.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        // Closed without an answer (an end of stream or a reset), not left waiting.
        assertThat(fourth.getInputStream().read()).isEqualTo(-1);
      } catch (java.net.SocketException reset) {
        assertThat(reset.getMessage()).contains("reset");
      }
      crowd.close();
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
          metric(server, "farm_connections_cut_total{reason=\"perAddressLimit\"}") == 1);
      assertThat(farm.request("GET", "/farm/v1/animals").send().status()).isEqualTo(200);
    }
  }

  /**
   * {@code n} new upload sessions of {@code farm}, once no request is in flight any more (an
   * answered request is counted out a moment after its client has the answer).
   */
  private static List<String> sessions(TestServer server, FarmTestClient farm, int n)
      throws IOException {
    List<String> sessions = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sessions.add(farm.initiate(null, "image/png", 2 * K256));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> metric(server,
        "farm_requests_inflight") == 0);
    return sessions;
  }

  private static long metric(TestServer server, String name) throws IOException {
    String text = RawHttp.request(server.uri(), "GET", "/metrics").send().text();
    return text.lines().filter(l -> l.startsWith(name + " "))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(name.length() + 1)))
        .findFirst().orElse(0);
  }

  /** Connections held open by the test: idle, or a chunk PUT whose body never comes. */
  private static final class Crowd implements AutoCloseable {
    private final List<Socket> sockets = new ArrayList<>();

    /** A connection that asked for /healthz, got its answer and stays open, idle. */
    void keptAlive(TestServer server) throws IOException {
      Socket socket = new Socket("127.0.0.1", server.uri().getPort());
      sockets.add(socket);
      socket.setSoTimeout(5000);
      socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      StringBuilder answer = new StringBuilder();
      while (!answer.toString().endsWith("\"ok\"}")) {
        int b = socket.getInputStream().read();
        if (b < 0) {
          throw new IOException("closed after " + answer);
        }
        answer.append((char) b);
      }
      assertThat(answer.toString()).startsWith("HTTP/1.1 200");
    }

    /** For each session, a chunk PUT whose body never comes. */
    void chunksWithoutBody(TestServer server, List<String> sessions) throws IOException {
      for (String session : sessions) {
        Socket socket = new Socket("127.0.0.1", server.uri().getPort());
        socket.getOutputStream().write(("PUT " + FarmTestClient.target(session)
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Range: bytes 0-262143/524288\r\n"
            + "Content-Length: 262144\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        sockets.add(socket);
      }
    }

    @Override
    public void close() throws IOException {
      for (Socket s : sockets) {
        s.close();
      }
      sockets.clear();
    }
  }
}
