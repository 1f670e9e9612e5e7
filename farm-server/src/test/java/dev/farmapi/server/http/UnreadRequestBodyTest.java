package dev.farmapi.server.http;

import static dev.farmapi.server.testing.FarmTestClient.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answers given before the request body arrived in full end the connection, and say so with
 * "Connection: close", so that keep-alive clients (HttpURLConnection under
 * google-api-java-client) do not reuse a connection the server is closing. Answers after a body
 * read in full keep the connection.
 */
class UnreadRequestBodyTest {
  private static final long TOTAL = 3L << 20;

  @TempDir Path dataDir;
  private TestServer server;
  private FarmTestClient farm;
  private String session;

  @BeforeEach
  void start() throws IOException {
    server = TestServer.start(dataDir);
    farm = server.client();
    session = farm.initiate(null, "application/octet-stream", TOTAL);
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  @Test
  void errorFoundInTheHeadersWhileTheBodyIsStillComingSaysConnectionClose() throws IOException {
    try (Socket socket = connect()) {
      // 1001 bytes is not a multiple of 256 KiB: a 400 before any of the body is read.
      sendHead(socket, "PUT", session, "Content-Range: bytes 0-1000/" + TOTAL,
          "Content-Length: 1001");
      socket.getOutputStream().write(new byte[100]);

      String head = responseHead(socket.getInputStream());

      assertThat(head).startsWith("HTTP/1.1 400");
      assertThat(head.toLowerCase(Locale.ROOT)).contains("connection: close");
    }
  }

  @Test
  void injectedServerErrorBeforeTheBodySaysConnectionClose() throws IOException {
    String test = FarmTestClient.ok(farm.request("POST", "/retry_test")
        .json("{\"instructions\": {\"farm.animals.insert\": [\"return-503\"]}}").send())
        .path("id").asText();
    try (Socket socket = connect()) {
      sendHead(socket, "PUT", session, "Content-Range: bytes 0-1048575/" + TOTAL,
          "Content-Length: 1048576", "x-retry-test-id: " + test);
      socket.getOutputStream().write(new byte[4096]);

      String head = responseHead(socket.getInputStream());

      assertThat(head).startsWith("HTTP/1.1 503");
      assertThat(head.toLowerCase(Locale.ROOT)).contains("connection: close");
    }
  }

  @Test
  void chunkReadInFullKeepsTheConnectionForTheNextRequest() throws IOException {
    try (Socket socket = connect()) {
      sendHead(socket, "PUT", session, "Content-Range: bytes 0-262143/" + TOTAL,
          "Content-Length: 262144");
      socket.getOutputStream().write(randomBytes(262_144, 1));

      String first = responseHead(socket.getInputStream());
      assertThat(first).startsWith("HTTP/1.1 308");
      assertThat(first.toLowerCase(Locale.ROOT)).doesNotContain("connection: close");

      sendHead(socket, "PUT", session, "Content-Range: bytes */" + TOTAL, "Content-Length: 0");
      String second = responseHead(socket.getInputStream());
      assertThat(second).startsWith("HTTP/1.1 308").contains("Range: bytes=0-262143");
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", server.uri().getPort());
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static void sendHead(Socket socket, String method, String target, String... headers)
      throws IOException {
    StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\n");
    for (String h : headers) {
      head.append(h).append("\r\n");
    }
    OutputStream out = socket.getOutputStream();
    out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Reads a response head and skips its body (by Content-Length). */
  private static String responseHead(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String head;
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed after " + bytes);
      }
      bytes.write(c);
      head = bytes.toString(StandardCharsets.ISO_8859_1);
      if (head.endsWith("\r\n\r\n")) {
        break;
      }
    }
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        in.readNBytes(Integer.parseInt(line.substring(15).trim()));
      }
    }
    return head;
  }
}
