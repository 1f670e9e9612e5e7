package dev.farmapi.server.protocol;

import static dev.farmapi.server.testing.ProtocolAssert.assertError;
import static dev.farmapi.server.testing.ProtocolAssert.assertStored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import dev.farmapi.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code uploadType=multipart}: metadata and media in one multipart/related body, framed with
 * CRLF (RFC 2046) or bare LF (google-api-python-client), stored byte-exactly.
 */
class MultipartUploadTest {
  private static final String BOUNDARY = "===============4200804128566609054==";

  @RegisterExtension static final TestServer server = TestServer.perClass();

  FarmTestClient farm;

  @BeforeEach
  void newFarm() throws Exception {
    farm = server.clientOfNewFarm();
  }

  private RawHttp.Response post(String contentType, byte[] body) throws Exception {
    return farm.request("POST", "/upload/farm/v1/animals?uploadType=multipart")
        .header("Content-Type", contentType).body(body).send();
  }

  private static byte[] hostileMedia(String lineBreak) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(FarmTestClient.randomBytes(5000, 31));
    String lines = "\r\n--" + BOUNDARY + "X" + lineBreak // the boundary, then more: not one
        + "\n--" + BOUNDARY + "-" + lineBreak // one dash is not a close delimiter
        + "--" + BOUNDARY.substring(0, 10) + lineBreak // a prefix of the boundary
        + "bare cr\r" + "bare lf\n" + "crlf\r\n" + "\u0000\u00ff";
    out.writeBytes(lines.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(FarmTestClient.randomBytes(70_000, 32));
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\r\n", "\n"})
  void storesBinaryMediaByteExactlyInEitherFraming(String lineBreak) throws Exception {
    byte[] media = hostileMedia(lineBreak);

    JsonNode animal = FarmTestClient.ok(post("multipart/related; boundary=\"" + BOUNDARY + "\"",
        FarmTestClient.multipart(BOUNDARY, lineBreak, "{\"name\": \"Pig\"}", media, "image/png")));

    assertThat(animal.get("name").asText()).isEqualTo("Pig");
    assertThat(animal.get("mediaContentType").asText()).isEqualTo("image/png");
    assertStored(farm, animal, media);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\r", "\n", "\r\n", "\n\n", "\r\r"})
  void keepsMediaEndingInALineBreakCharacter(String ending) throws Exception {
    for (String lineBreak : List.of("\r\n", "\n")) {
      byte[] media = ("picture" + ending).getBytes(StandardCharsets.US_ASCII);

      JsonNode animal = FarmTestClient.ok(post("multipart/related; boundary=abc",
          FarmTestClient.multipart("abc", lineBreak, "{}", media, "image/png")));

      assertStored(farm, animal, media);
    }
  }

  @Test
  void acceptsWhatThePythonClientSends() throws Exception {
    // Captured from google-api-python-client 1.7.12: LF framing, no preamble, trailing LF,
    // MIME-Version headers and Content-Transfer-Encoding: binary.
    byte[] media = ("\u0089PNG\r\n\u001a\n\u0000\u0001line\r\n--" + BOUNDARY.replace("42", "43")
        + "\n\u0000tail\r").getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + BOUNDARY + "\nContent-Type: application/json\nMIME-Version: 1.0\n\n"
        + "{\"name\": \"Pig\", \"species\": \"pig\"}\n--" + BOUNDARY + "\nContent-Type: image/png\n"
        + "MIME-Version: 1.0\nContent-Transfer-Encoding: binary\n\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    body.writeBytes(media);
    body.writeBytes(("\n--" + BOUNDARY + "--\n").getBytes(StandardCharsets.ISO_8859_1));

    JsonNode animal = FarmTestClient.ok(farm.request("POST",
            "/upload/farm/v1/animals?uploadType=multipart&alt=json")
        .header("Content-Type", "multipart/related; boundary=\"" + BOUNDARY + "\"")
        .header("MIME-Version", "1.0").body(body.toByteArray()).send());

    assertThat(animal.get("species").asText()).isEqualTo("pig");
    assertStored(farm, animal, media);
  }

  @Test
  void storesAnEmptyMediaPart() throws Exception {
    JsonNode animal = FarmTestClient.ok(post("multipart/related; boundary=abc",
        FarmTestClient.multipart("abc", "\n", "{\"name\":\"Empty\"}", new byte[0], "image/png")));

    assertStored(farm, animal, new byte[0]);
  }

  @Test
  void updateReplacesMediaAndMetadata() throws Exception {
    byte[] first = FarmTestClient.randomBytes(1000, 33);
    byte[] second = FarmTestClient.randomBytes(2000, 34);
    JsonNode pig = farm.insertMultipart("{\"name\":\"Pig\"}", first, "image/png");
    assertStored(farm, pig, first);

    JsonNode updated = FarmTestClient.ok(farm.request("PUT", "/upload/farm/v1/animals/"
            + pig.get("id").asText() + "?uploadType=multipart")
        .header("Content-Type", "multipart/related; boundary=xyz")
        .body(FarmTestClient.multipart("xyz", "\r\n", "{\"name\":\"Boar\"}", second, "image/gif"))
        .send());

    assertThat(updated.get("name").asText()).isEqualTo("Boar");
    assertThat(updated.get("mediaContentType").asText()).isEqualTo("image/gif");
    assertStored(farm, updated, second);
    assertThat(farm.listIds()).containsExactly(pig.get("id").asText());
  }

  @Test
  void malformedBodiesAre400AndCreateNothing() throws Exception {
    byte[] good = FarmTestClient.multipart("abc", "\r\n", "{\"name\":\"x\"}", new byte[300],
        "image/png");
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 10);
    byte[] onePart = ("--abc\r\nContent-Type: application/json\r\n\r\n{}\r\n--abc--\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] threeParts = ("--abc\r\nContent-Type: application/json\r\n\r\n{}\r\n"
        + "--abc\r\nContent-Type: image/png\r\n\r\nAAAA\r\n"
        + "--abc\r\nContent-Type: image/png\r\n\r\nBBBB\r\n--abc--\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] noDelimiter = "just some bytes".getBytes(StandardCharsets.US_ASCII);
    byte[] badHeader = ("--abc\r\nthis is no header\r\n\r\n{}\r\n--abc--\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    int blobs = server.blobFiles().size();

    assertError(post("multipart/related; boundary=abc", truncated), 400, "invalidMultipart");
    assertError(post("multipart/related; boundary=abc", onePart), 400, "invalidMultipart");
    assertError(post("multipart/related; boundary=abc", threeParts), 400, "invalidMultipart");
    assertError(post("multipart/related; boundary=abc", noDelimiter), 400, "invalidMultipart");
    assertError(post("multipart/related; boundary=abc", badHeader), 400, "invalidMultipart");
    assertError(post("multipart/related", good), 400, "invalidMultipart");
    assertError(post("multipart/mixed; boundary=abc", good), 400, "invalidMultipart");
    assertError(post("multipart/related; boundary=\"abc", good), 400, "invalidMultipart");
    assertError(post("multipart/related; boundary=other", good), 400, "invalidMultipart");

    assertThat(farm.listIds()).isEmpty();
    assertThat(server.blobFiles()).hasSize(blobs); // no staged media left behind either
  }

  @Test
  void badMetadataIs400AndCreatesNothing() throws Exception {
    byte[] media = new byte[100];

    assertError(post("multipart/related; boundary=abc", FarmTestClient.multipart("abc", "\r\n",
        "{not json", media, "image/png")), 400, "parseError");
    assertError(post("multipart/related; boundary=abc", FarmTestClient.multipart("abc", "\r\n",
        "[1, 2]", media, "image/png")), 400, "parseError");
    assertError(post("multipart/related; boundary=abc", FarmTestClient.multipart("abc", "\r\n",
        "{\"colour\":\"pink\"}", media, "image/png")), 400, "unknownField");
    assertError(post("multipart/related; boundary=abc", FarmTestClient.multipart("abc", "\r\n",
        "{\"name\":\"a\\r\\nb\"}", media, "image/png")), 400, "invalidField");

    assertThat(farm.listIds()).isEmpty();
  }
}
