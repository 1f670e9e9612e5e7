package dev.farmapi.server.http;

import static dev.farmapi.server.testing.FarmTestClient.randomBytes;
import static dev.farmapi.server.testing.FarmTestClient.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request bodies sent with {@code Content-Encoding: gzip}, as google-api-java-client sends them by
 * default: the server stores and acknowledges the decoded bytes.
 */
class GzipRequestBodyTest {
  @TempDir Path dataDir;
  private TestServer server;
  private FarmTestClient farm;

  @BeforeEach
  void start() throws IOException {
    server = TestServer.start(dataDir);
    farm = server.client();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  @Test
  void simpleUploadSentGzipEncodedStoresTheDecodedBytes() throws IOException {
    byte[] media = randomBytes(300_001, 1);

    JsonNode animal = FarmTestClient.ok(farm.request("POST", "/upload/farm/v1/animals?uploadType=media")
        .header("Content-Type", "application/octet-stream")
        .header("Content-Encoding", "gzip")
        .body(gzip(media))
        .send());

    assertThat(animal.path("mediaSize").asText()).isEqualTo("300001");
    assertThat(sha256(farm.download(animal.path("id").asText()))).isEqualTo(sha256(media));
  }

  @Test
  void multipartUploadSentGzipEncodedStoresTheDecodedMediaAndMetadata() throws IOException {
    byte[] media = randomBytes(70_000, 2);
    byte[] body = FarmTestClient.multipart("b0und", "\r\n", "{\"name\": \"Zipped Zebu\"}", media,
        "image/png");

    JsonNode animal = FarmTestClient.ok(farm.request("POST", "/upload/farm/v1/animals?uploadType=multipart")
        .header("Content-Type", "multipart/related; boundary=b0und")
        .header("Content-Encoding", "gzip")
        .body(gzip(body))
        .send());

    assertThat(animal.path("name").asText()).isEqualTo("Zipped Zebu");
    assertThat(sha256(farm.download(animal.path("id").asText()))).isEqualTo(sha256(media));
  }

  @Test
  void resumableMetadataAndChunksMayBeGzipEncodedWhileContentRangeCountsDecodedBytes()
      throws IOException {
    byte[] media = randomBytes(262_144 + 1_000, 3);
    RawHttp.Response initiated = farm.request("POST", "/upload/farm/v1/animals?uploadType=resumable")
        .header("Content-Type", "application/json; charset=UTF-8")
        .header("Content-Encoding", "gzip")
        .header("X-Upload-Content-Type", "application/octet-stream")
        .body(gzip("{\"name\": \"Gzip Goat\"}".getBytes(StandardCharsets.UTF_8)))
        .send();
    assertThat(initiated.status()).isEqualTo(200);
    String session = FarmTestClient.target(initiated.header("Location"));

    // Content-Length is the encoded size; Content-Range names the decoded bytes.
    RawHttp.Response first = farm.anonymous("PUT", session)
        .header("Content-Range", "bytes 0-262143/*")
        .header("Content-Encoding", "gzip")
        .body(gzip(Arrays.copyOfRange(media, 0, 262_144)))
        .send();
    assertThat(first.status()).isEqualTo(308);
    assertThat(first.header("Range")).isEqualTo("bytes=0-262143");

    RawHttp.Response last = farm.anonymous("PUT", session)
        .header("Content-Range", "bytes 262144-263143/263144")
        .header("Content-Encoding", "gzip")
        .body(gzip(Arrays.copyOfRange(media, 262_144, media.length)))
        .send();

    JsonNode animal = FarmTestClient.ok(last);
    assertThat(animal.path("name").asText()).isEqualTo("Gzip Goat");
    assertThat(sha256(farm.download(animal.path("id").asText()))).isEqualTo(sha256(media));
  }

  @Test
  void concatenatedGzipMembersAllCount() throws IOException {
    byte[] media = randomBytes(200_000, 6);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(gzip(Arrays.copyOfRange(media, 0, 123_456)));
    body.writeBytes(gzip(Arrays.copyOfRange(media, 123_456, media.length)));

    JsonNode animal = FarmTestClient.ok(farm.request("POST", "/upload/farm/v1/animals?uploadType=media")
        .header("Content-Type", "application/octet-stream")
        .header("Content-Encoding", "gzip")
        .body(body.toByteArray())
        .send());

    assertThat(sha256(farm.download(animal.path("id").asText()))).isEqualTo(sha256(media));
  }

  /**
   * HttpURLConnection (under google-api-java-client) writes the chunked terminator after the
   * gzip trailer and then reuses the connection. The server must have read the whole body before
   * it answers; otherwise Jetty closes a connection whose 200 did not say "Connection: close".
   */
  @Test
  void connectionStaysUsableWhenTheChunkedTerminatorArrivesAfterTheGzipTrailer()
      throws Exception {
    byte[] metadata = gzip("{\"name\": \"Keepalive Kudu\"}".getBytes(StandardCharsets.UTF_8));
    try (Socket socket = new Socket("127.0.0.1", server.uri().getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(("POST /upload/farm/v1/animals?uploadType=resumable HTTP/1.1\r\n"
          + "Host: 127.0.0.1\r\nAuthorization: Bearer " + server.adminKey() + "\r\n"
          + "Content-Type: application/json; charset=UTF-8\r\nContent-Encoding: gzip\r\n"
          + "X-Upload-Content-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n"
          + Integer.toHexString(metadata.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(metadata);
      out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      Thread.sleep(300); // the last chunk comes late: the server must wait for it
      out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String first = responseHead(in);
      assertThat(first).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");

      out.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      assertThat(responseHead(in)).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void bodyThatIsNotGzipDespiteItsContentEncodingIsABadRequest() throws IOException {
    RawHttp.Response response = farm.request("POST", "/upload/farm/v1/animals?uploadType=media")
        .header("Content-Type", "application/octet-stream")
        .header("Content-Encoding", "gzip")
        .body(randomBytes(5_000, 4))
        .send();

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.reason()).isEqualTo("invalidContentEncoding");
  }

  @Test
  void unknownContentEncodingIsUnsupported() throws IOException {
    RawHttp.Response response = farm.request("POST", "/upload/farm/v1/animals?uploadType=media")
        .header("Content-Type", "application/octet-stream")
        .header("Content-Encoding", "br")
        .body(randomBytes(100, 5))
        .send();

    assertThat(response.status()).isEqualTo(415);
    assertThat(response.reason()).isEqualTo("unsupportedContentEncoding");
  }

  /** Reads a response head (through its blank line); the initiation's answer has no body. */
  private static String responseHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed after " + head);
      }
      head.write(c);
      String text = head.toString(StandardCharsets.ISO_8859_1);
      if (text.endsWith("\r\n\r\n")) {
        return text;
      }
    }
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}
