package dev.farmapi.cli;

import dev.farmapi.apiclient.media.MediaInMemoryUpload;
import dev.farmapi.farm.Animal;
import dev.farmapi.farm.Farm;
import dev.farmapi.server.ApiKeys;
import dev.farmapi.server.store.SqliteMetadataStore;
import dev.farmapi.server.testing.FarmTestClient;
import dev.farmapi.server.testing.TestServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A farm of its own on a shared test server, so that each test sees only its animals: its key,
 * the typed client that fills it, the wire client that reads the server's state, and the farm
 * command pointed at it.
 */
record TestFarm(TestServer server, String key, Farm farm, FarmTestClient wire) {
  private static final AtomicInteger farms = new AtomicInteger();

  /** A new farm, its key made as {@code farm keys create} makes one, while the server runs. */
  static TestFarm create(TestServer server) throws IOException {
    String key;
    try (SqliteMetadataStore store =
        SqliteMetadataStore.open(server.dataDir().resolve("farm.db"))) {
      key = ApiKeys.create(store, "cli-" + farms.incrementAndGet());
    }
    return new TestFarm(server, key, Farm.connect(server.uri(), key),
        FarmTestClient.of(server.uri(), key));
  }

  /**
   * Inserts an animal whose id does not start with '-': one in 64 does, and on a command line
   * it can read as an option ({@code -q...}); AnimalsCommandTest covers those ids with "--".
   */
  Animal insert(String name, String species, byte[] picture, String type) throws IOException {
    while (true) {
      Animal inserted = insertAnyId(name, species, picture, type);
      if (!inserted.id().startsWith("-")) {
        return inserted;
      }
      farm.animals().delete(inserted.id()).execute();
    }
  }

  Animal insertAnyId(String name, String species, byte[] picture, String type)
      throws IOException {
    Animal animal = new Animal(name).withSpecies(species);
    return picture == null
        ? farm.animals().insert(animal).execute()
        : farm.animals().insert(animal, MediaInMemoryUpload.of(picture, type)).execute();
  }

  /** Runs the farm command with this farm's server and key: after {@code args}, or before "--". */
  CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    int end = all.contains("--") ? all.indexOf("--") : all.size();
    all.addAll(end, List.of("--server", server.uri().toString(), "--key", key));
    return CliRun.of(all.toArray(String[]::new));
  }
}
