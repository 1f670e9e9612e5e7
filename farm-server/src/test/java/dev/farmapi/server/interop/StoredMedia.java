package dev.farmapi.server.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.RawHttp;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Checks, from the Java side, what an upload by the Python client left on the server: the media
 * downloaded back byte for byte (by SHA-256), and the animal's metadata.
 */
final class StoredMedia {
  private StoredMedia() {}

  /**
   * Asserts that {@code animal} (as the Python client returned it) is stored with exactly
   * {@code source} as its media, of {@code contentType}, and named {@code name} (null: no name).
   * Returns the animal as the server now shows it.
   */
  static JsonNode assertStored(FarmTestClient client, JsonNode animal, byte[] source, String name,
      String contentType) throws IOException {
    assertThat(animal.path("id").asText()).as("the animal the client got: %s", animal)
        .isNotEmpty();
    String id = animal.get("id").asText();

    byte[] downloaded = client.download(id);
    assertThat(downloaded.length).as("downloaded size of %s", id).isEqualTo(source.length);
    assertThat(FarmTestClient.sha256(downloaded)).as("SHA-256 of %s's media", id)
        .isEqualTo(FarmTestClient.sha256(source));

    RawHttp.Response response = client.get(id);
    assertThat(response.status()).as("%s", response).isEqualTo(200);
    JsonNode stored = response.json();
    if (name == null) {
      assertThat(stored.has("name")).as("name of %s", stored).isFalse();
    } else {
      assertThat(stored.path("name").asText()).isEqualTo(name);
    }
    assertThat(stored.path("mediaContentType").asText()).isEqualTo(contentType);
    assertThat(stored.path("mediaSize").asText()).isEqualTo(Long.toString(source.length));
    assertThat(stored.path("md5Hash").asText()).isEqualTo(md5Base64(source));
    // What the client was told is what is stored.
    assertThat(animal.path("mediaSize").asText()).isEqualTo(stored.path("mediaSize").asText());
    assertThat(animal.path("md5Hash").asText()).isEqualTo(stored.path("md5Hash").asText());
    return stored;
  }

  static String md5Base64(byte[] bytes) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
