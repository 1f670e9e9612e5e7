package dev.farmapi.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An answer given before the request body was read (an injected 503, a rejected upload, the resend
 * of a chunk the server already holds) must leave the connection usable for the next request.
 * google-api-python-client sends the whole body before it reads the answer and then reuses the
 * connection for its retry: when the server answered early and closed the connection afterwards
 * (without saying {@code Connection: close}), the retry died with a broken pipe.
 */
class UnreadBodyKeepAliveTest {
  private static final int BIG = 3 * 1024 * 1024 + 12345; // larger than the socket buffers

  @TempDir Path dir;
  private TestServer server;
  private FarmTestClient client;

  @BeforeEach
  void start() throws IOException {
    server = TestServer.start(dir);
    client = server.client();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  @Test
  void injected503BeforeTheBodyKeepsTheConnectionForTheRetry() throws Exception {
    String test = retryTest("[\"return-503\"]");
    byte[] media = FarmTestClient.randomBytes(BIG, 1);
    try (KeepAlive connection = new KeepAlive(server)) {
      Answer first = connection.exchange("POST", "/upload/farm/v1/animals?uploadType=media",
          "Content-Type: application/octet-stream\r\nx-retry-test-id: " + test + "\r\n", media);
      assertThat(first.status).isEqualTo(503);

      Answer retry = connection.exchange("POST", "/upload/farm/v1/animals?uploadType=media",
          "Content-Type: application/octet-stream\r\n", media);
      assertThat(retry.status).as(retry.text()).isEqualTo(200);
      assertThat(FarmTestClient.sha256(client.download(idOf(retry)))).isEqualTo(FarmTestClient.sha256(media));
    }
  }

  @Test
  void rejectedChunkKeepsTheConnection() throws Exception {
    byte[] media = FarmTestClient.randomBytes(BIG, 2);
    String session = client.initiate("{\"name\":\"Pig\"}", "application/octet-stream", media.length);
    byte[] badChunk = Arrays.copyOf(media, 1024 * 1024 + 1); // not a multiple of 256 KiB
    try (KeepAlive connection = new KeepAlive(server)) {
      Answer rejected = connection.exchange("PUT", session,
          "Content-Range: bytes 0-" + (badChunk.length - 1) + "/" + media.length + "\r\n", badChunk);
      assertThat(rejected.status).isEqualTo(400);

      Answer query = connection.exchange("PUT", session,
          "Content-Range: bytes */" + media.length + "\r\n", new byte[0]);
      assertThat(query.status).isEqualTo(308);
      assertThat(query.header("range")).isNull();
    }
  }

  @Test
  void resentFinalChunkAfterCompletionKeepsTheConnection() throws Exception {
    byte[] media = FarmTestClient.randomBytes(BIG, 3);
    String session = client.initiate(null, "application/octet-stream", media.length);
    String range = "Content-Range: bytes 0-" + (media.length - 1) + "/" + media.length + "\r\n";
    try (KeepAlive connection = new KeepAlive(server)) {
      Answer done = connection.exchange("PUT", session, range, media);
      assertThat(done.status).isEqualTo(200);
      Answer again = connection.exchange("PUT", session, range, media); // the 200 got lost
      assertThat(again.status).isEqualTo(200);
      assertThat(idOf(again)).isEqualTo(idOf(done));

      Answer health = connection.exchange("GET", "/healthz", "", null);
      assertThat(health.status).isEqualTo(200);
    }
  }

  private String retryTest(String instructions) throws IOException {
    return FarmTestClient.ok(client.request("POST", "/retry_test")
            .json("{\"instructions\": {\"farm.animals.insert\": " + instructions + "}}").send())
        .get("id").asText();
  }

  private static String idOf(Answer answer) {
    return new RawHttp.Response(answer.status, Map.of(), answer.body).json()
        .get("id").asText();
  }

  /** One persistent HTTP/1.1 connection; each body is written by another thread, as it may block. */
  private static final class KeepAlive implements AutoCloseable {
    private final Socket socket;
    private final String host;
    private final String key;

    KeepAlive(TestServer server) throws IOException {
      this.socket = new Socket(server.uri().getHost(), server.uri().getPort());
      this.socket.setSoTimeout(20_000);
      this.host = server.uri().getHost() + ":" + server.uri().getPort();
      this.key = server.adminKey();
    }

    Answer exchange(String method, String target, String headers, byte[] body) throws Exception {
      String head = method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n"
          + "Authorization: Bearer " + key + "\r\n" + headers
          + (body == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
      OutputStream out = socket.getOutputStream();
      CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
        try {
          out.write(head.getBytes(StandardCharsets.ISO_8859_1));
          if (body != null) {
            out.write(body);
          }
          out.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      Answer answer = read(socket.getInputStream());
      sent.get(); // like http.client: the whole request went out before the answer counts
      return answer;
    }

    private static Answer read(InputStream in) throws IOException {
      String statusLine = line(in);
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      Map<String, String> headers = new HashMap<>();
      for (String line = line(in); !line.isEmpty(); line = line(in)) {
        int colon = line.indexOf(':');
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      return new Answer(status, headers, in.readNBytes(length));
    }

    private static String line(InputStream in) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("connection closed by the server");
        }
        if (b != '\r') {
          line.write(b);
        }
      }
      return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private record Answer(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }
}
