package dev.farmapi.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.server.testing.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the server: the grace period is for requests in flight, not for idle connections. */
class ShutdownTest {
  @TempDir Path dir;

  @Test
  void closeDoesNotWaitTheGracePeriodForAnIdleKeepAliveConnection() throws Exception {
    // A long grace, so that waiting it out cannot pass for a prompt stop. (Measured: about 2 s,
    // Jetty's one-second shutdown idle timeout closing the idle connection; 0.1 s without it.)
    TestServer server = TestServer.start(dir, b -> b.shutdownGrace(Duration.ofSeconds(20)));
    try (Socket idle = new Socket("127.0.0.1", server.uri().getPort())) {
      OutputStream out = idle.getOutputStream();
      out.write(("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = idle.getInputStream();
      byte[] answer = new byte[4096];
      int n = in.read(answer);
      assertThat(new String(answer, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
      // The connection is now idle and kept alive.

      long start = System.nanoTime();
      server.close();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      System.out.println("close() took " + took.toMillis() + " ms");

      assertThat(took).as("close() with one idle keep-alive connection open")
          .isLessThan(Duration.ofSeconds(10));
      idle.setSoTimeout(5000);
      assertThat(in.read()).as("the idle connection is closed by the server").isEqualTo(-1);
    }
  }
}
