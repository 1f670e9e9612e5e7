package dev.farmapi.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.zip.CRC32C;

/** Assertions on what a client received: Google-style errors and stored media. */
public final class ProtocolAssert {
  private ProtocolAssert() {}

  /**
   * A Google-style JSON error: the status, {@code error.code} equal to it, a message, a status
   * name, and {@code error.errors[0].reason} equal to {@code reason}.
   */
  public static JsonNode assertError(RawHttp.Response response, int status, String reason) {
    assertThat(response.status()).as("status of %s", response).isEqualTo(status);
    assertThat(response.header("Content-Type")).as("Content-Type of %s", response)
        .startsWith("application/json");
    JsonNode error = response.json().path("error");
    assertThat(error.path("code").asInt()).as("error.code of %s", response).isEqualTo(status);
    assertThat(error.path("message").asText()).as("error.message of %s", response).isNotBlank();
    assertThat(error.path("status").asText()).as("error.status of %s", response).isNotBlank();
    assertThat(error.at("/errors/0/reason").asText()).as("error.errors[0].reason of %s", response)
        .isEqualTo(reason);
    assertThat(error.at("/errors/0/message").asText()).as("error.errors[0].message of %s",
        response).isNotBlank();
    return error;
  }

  /**
   * The animal describes {@code source} (size, MD5, CRC32C) and downloading its media gives
   * exactly {@code source}, compared by SHA-256.
   */
  public static void assertStored(FarmTestClient client, JsonNode animal, byte[] source)
      throws IOException {
    assertThat(animal.path("mediaSize").asText()).as("mediaSize of %s", animal)
        .isEqualTo(Long.toString(source.length));
    assertThat(animal.path("md5Hash").asText()).as("md5Hash of %s", animal)
        .isEqualTo(md5Base64(source));
    assertThat(animal.path("crc32c").asText()).as("crc32c of %s", animal)
        .isEqualTo(crc32cBase64(source));
    byte[] downloaded = client.download(animal.path("id").asText());
    assertThat(FarmTestClient.sha256(downloaded)).as("SHA-256 of the downloaded media")
        .isEqualTo(FarmTestClient.sha256(source));
  }

  public static String md5Base64(byte[] bytes) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  public static String crc32cBase64(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return Base64.getEncoder().encodeToString(
        ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
