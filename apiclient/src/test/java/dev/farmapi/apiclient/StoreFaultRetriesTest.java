package dev.farmapi.apiclient;

import static dev.farmapi.apiclient.testing.TestUploads.assertStored;
import static dev.farmapi.apiclient.testing.TestUploads.insert;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.media.MediaInMemoryUpload;
import dev.farmapi.apiclient.testing.LiveServer;
import dev.farmapi.server.testing.FaultyBlobStore;
import dev.farmapi.server.testing.FaultyMetadataStore;
import dev.farmapi.server.testing.FaultyMetadataStore.Write;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;

/**
 * The library's retries ride over the server's own storage failing for a while (a full disk, a
 * failed fsync, SQLite failing a write): every one is a 503 to the client, which retries, asks
 * where the upload stands, and completes it once, with exactly the source's bytes.
 */
class StoreFaultRetriesTest {
  static final int CHUNK = 256 * 1024;

  @TempDir static Path dir;
  static LiveServer server;
  static FaultyBlobStore blobs;
  static FaultyMetadataStore meta;
  static ApiClient client;

  @BeforeAll
  static void start() throws Exception {
    server = LiveServer.start(dir.resolve("server"), b -> b,
        real -> blobs = new FaultyBlobStore(real), real -> meta = new FaultyMetadataStore(real));
    client = server.client();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void resumableUploadRidesOverTransientDiskAndDatabaseFaultsToOneCompleteAnimal()
      throws Exception {
    byte[] bytes = LiveServer.randomBytes(3 * CHUNK + 777, 71);
    Path file = Files.write(dir.resolve("cow.png"), bytes);
    blobs.arm(FaultyBlobStore.Fault.DISK_FULL, 2); // the first chunk, twice
    blobs.arm(FaultyBlobStore.Fault.SYNC, 1); // then its fsync once
    meta.fail(Write.UPDATE_PROGRESS, SQLiteErrorCode.SQLITE_FULL, 1); // then its offset
    meta.fail(Write.COMPLETE_SESSION, SQLiteErrorCode.SQLITE_IOERR, 2); // and the completion
    int firedBefore = blobs.fired() + meta.fired();

    JsonNode animal = insert(server, client, "cow", MediaFileUpload.of(file)
        .withMimeType("image/png").withChunkSize(CHUNK).resumable(), null).build().execute();

    assertThat(blobs.fired() + meta.fired() - firedBefore).as("faults that fired").isEqualTo(6);
    assertStored(server, animal, bytes);
    assertThat(server.animalsNamed("cow")).extracting(a -> a.get("id").asText())
        .containsExactly(animal.get("id").asText());
  }

  @Test
  void simpleUploadRidesOverATransientlyFullDiskAndFailedAnimalWrite() throws Exception {
    byte[] bytes = LiveServer.randomBytes(100_000, 72);
    blobs.arm(FaultyBlobStore.Fault.DISK_FULL, 1);
    meta.fail(Write.INSERT_ANIMAL, SQLiteErrorCode.SQLITE_FULL, 1);
    int firedBefore = blobs.fired() + meta.fired();

    JsonNode animal = insert(server, client, "hen", MediaInMemoryUpload.of(bytes, "image/png"),
        null).build().execute();

    assertThat(blobs.fired() + meta.fired() - firedBefore).isEqualTo(2);
    assertStored(server, animal, bytes);
    assertThat(server.animalsNamed("hen")).hasSize(1);
  }
}
