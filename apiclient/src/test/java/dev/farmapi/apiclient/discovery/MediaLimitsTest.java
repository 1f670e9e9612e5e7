package dev.farmapi.apiclient.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.HttpError;
import dev.farmapi.apiclient.MediaUploadSizeError;
import dev.farmapi.apiclient.UnacceptableMimeTypeError;
import dev.farmapi.apiclient.media.MediaInMemoryUpload;
import dev.farmapi.apiclient.testing.LiveServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mediaUpload.accept} and {@code maxSize} as a server that takes only images of at most
 * 64 KiB publishes them ({@code ["image/*"]}, {@code "64KB"}).
 */
class MediaLimitsTest {
  static final int MAX = 64 * 1024;

  @TempDir Path dir;
  LiveServer server;
  Resource animals;

  @BeforeEach
  void start() throws Exception {
    server = LiveServer.start(dir.resolve("server"),
        b -> b.accept(List.of("image/*")).maxUploadSize(MAX));
    animals = Discovery.build(server.uri("discovery/v1/apis/farm/v1/rest"), server.client())
        .resource("animals");
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void refusesAFileWhoseGuessedTypeTheMethodDoesNotAccept() throws Exception {
    Path notes = Files.writeString(dir.resolve("notes.txt"), "not a picture");

    MethodCall insert = animals.method("insert").body(Map.of("name", "Pig")).mediaBody(notes);

    assertThatThrownBy(insert::execute).isInstanceOf(UnacceptableMimeTypeError.class)
        .hasMessageContaining("text/plain").hasMessageContaining("image/*");
    assertThat(animals.method("list").execute().path("items")).isEmpty();
  }

  @Test
  void acceptsAFileMatchingTheWildcardAndAFileGivenAnAcceptedType() throws Exception {
    Path pig = Files.write(dir.resolve("pig.gif"), LiveServer.randomBytes(1000, 1));
    Path notes = Files.write(dir.resolve("notes.txt"), LiveServer.randomBytes(1000, 2));

    JsonNode gif = animals.method("insert").mediaBody(pig).execute();
    JsonNode png = animals.method("insert").mediaBody(notes).mediaMimeType("image/png").execute();

    assertThat(gif.get("mediaContentType").asText()).isEqualTo("image/gif");
    assertThat(png.get("mediaContentType").asText()).isEqualTo("image/png");
  }

  @Test
  void leavesAMediaUploadsTypeToTheServerAsPythonDoes() {
    MethodCall insert = animals.method("insert")
        .mediaBody(MediaInMemoryUpload.of(new byte[10], "text/plain"));

    assertThatThrownBy(insert::execute).isInstanceOfSatisfying(HttpError.class,
        e -> assertThat(e.statusCode()).isEqualTo(415));
  }

  @Test
  void refusesMediaLargerThanMaxSizeBeforeSendingIt() throws Exception {
    Path big = Files.write(dir.resolve("big.png"), LiveServer.randomBytes(MAX + 1, 3));
    Path fits = Files.write(dir.resolve("fits.png"), LiveServer.randomBytes(MAX, 4));

    assertThatThrownBy(() -> animals.method("insert").mediaBody(big).build())
        .isInstanceOf(MediaUploadSizeError.class)
        .hasMessageContaining((MAX + 1) + " bytes").hasMessageContaining(MAX + " bytes");
    assertThatThrownBy(() -> animals.method("insert")
            .mediaBody(MediaInMemoryUpload.of(new byte[MAX + 1], "image/png")).build())
        .isInstanceOf(MediaUploadSizeError.class);
    JsonNode stored = animals.method("insert").mediaBody(fits).execute();
    assertThat(LiveServer.sha256(server.download(stored.get("id").asText())))
        .isEqualTo(LiveServer.sha256(Files.readAllBytes(fits)));
  }
}
