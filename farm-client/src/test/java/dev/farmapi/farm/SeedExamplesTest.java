package dev.farmapi.farm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farmapi.apiclient.DownloadResult;
import dev.farmapi.apiclient.HttpError;
import dev.farmapi.apiclient.HttpRequest;
import dev.farmapi.apiclient.UploadChunk;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.testing.LiveServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The media upload guide's examples, in Java, against the real server. */
class SeedExamplesTest {
  @TempDir Path dir;
  LiveServer server;
  Farm farm;
  Path pig;
  byte[] pigBytes;

  @BeforeEach
  void start() throws Exception {
    server = LiveServer.start(dir.resolve("server"));
    farm = Farm.connect(server.uri(), server.key());
    pigBytes = LiveServer.randomBytes(5 * 262144 + 777, 7);
    pig = Files.write(dir.resolve("pig.png"), pigBytes);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void insertWithAFileNameStoresThePictureAndGuessesItsType() throws Exception {
    Animal animal = farm.animals().insert(new Animal("Pig"), pig).execute();

    assertThat(animal.name()).isEqualTo("Pig");
    assertThat(animal.mediaContentType()).isEqualTo("image/png");
    assertThat(animal.mediaSize()).isEqualTo(pigBytes.length);
    assertStored(animal);
  }

  @Test
  void insertWithAnExplicitMimeType() throws Exception {
    MediaFileUpload media = MediaFileUpload.of(pig).withMimeType("image/x-pig");

    Animal animal = farm.animals().insert(new Animal("Pig"), media).execute();

    assertThat(animal.mediaContentType()).isEqualTo("image/x-pig");
    assertStored(animal);
  }

  @Test
  void resumableNextChunkLoopPrintsProgress() throws Exception {
    MediaFileUpload media = MediaFileUpload.of(pig)
        .withMimeType("image/png").withChunkSize(1 << 20).resumable();
    HttpRequest<Animal> request = farm.animals().insert(new Animal("Pig"), media);

    List<String> printed = new ArrayList<>();
    Animal response = null;
    while (response == null) {
      UploadChunk<Animal> chunk = request.nextChunk();
      chunk.progress().ifPresent(p ->
          printed.add(String.format("Uploaded %d%%.", (int) (p.progress() * 100))));
      response = chunk.response();
    }

    assertThat(printed).containsExactly("Uploaded 79%.");
    assertStored(response);
  }

  @Test
  void getListPatchUpdateAndDeleteWorkOnTypedAnimals() throws Exception {
    Animals animals = farm.animals();
    Animal cow = animals.insert(new Animal("Cow").withSpecies("Bos taurus")).execute();
    for (int i = 0; i < 4; i++) {
      animals.insert(new Animal("Hen " + i)).execute();
    }

    assertThat(animals.get(cow.id()).execute()).isEqualTo(cow);
    List<String> names = new ArrayList<>();
    animals.all(2).forEach(a -> names.add(a.name()));
    assertThat(names).containsExactly("Cow", "Hen 0", "Hen 1", "Hen 2", "Hen 3");
    Animal patched = animals.patch(cow.id(), new Animal("Daisy")).execute();
    assertThat(patched.name()).isEqualTo("Daisy");
    assertThat(patched.species()).isEqualTo("Bos taurus");
    Animal updated = animals.update(cow.id(), new Animal("Clarabelle")).execute();
    assertThat(updated.species()).isNull();
    Animal withPicture = animals.update(cow.id(), null,
        MediaFileUpload.of(pig).withChunkSize(262144).resumable()).execute();
    assertThat(withPicture.name()).isEqualTo("Clarabelle");
    assertStored(withPicture);

    animals.delete(cow.id()).execute();
    assertThatThrownBy(() -> animals.get(cow.id()).execute())
        .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.statusCode()).isEqualTo(404));
  }

  @Test
  void downloadToAFileIsVerifiedAgainstTheServersChecksums() throws Exception {
    Animal animal = farm.animals().insert(new Animal("Pig"), pig).execute();
    Path copy = dir.resolve("copy.png");

    DownloadResult result = farm.animals().download(animal.id(), copy)
        .withChunkSize(262144).execute();

    assertThat(result.verifiedBy()).containsExactly("crc32c"); // MD5 is opt-in
    assertThat(result.crc32c()).isEqualTo(animal.crc32c());
    assertThat(LiveServer.sha256(Files.readAllBytes(copy))).isEqualTo(LiveServer.sha256(pigBytes));
  }

  private void assertStored(Animal animal) throws Exception {
    assertThat(LiveServer.sha256(server.download(animal.id())))
        .isEqualTo(LiveServer.sha256(pigBytes));
  }
}
