package dev.farmapi.cli;

import dev.farmapi.server.store.MetadataStore;
import dev.farmapi.server.store.PostgresDatabase;
import dev.farmapi.server.store.PostgresMetadataStore;
import dev.farmapi.server.store.SqliteMetadataStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where {@code farm keys list} and {@code farm keys revoke} find a server's keys: its data
 * folder, opened as a second connection to its database (WAL and {@code busy_timeout} let it
 * share the file with a running server), or a cluster's shared PostgreSQL. Unlike
 * {@code keys create}, it never makes a folder: a mistyped path must not look like a farm with
 * no keys.
 */
final class KeyStoreOptions {
  @Option(names = "--data", defaultValue = "./farm-data",
      description = "The server's data folder (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--database", paramLabel = "URL", description = "The cluster's shared"
      + " PostgreSQL, postgresql://HOST:PORT/DB?user=USER (password from FARM_DATABASE_PASSWORD),"
      + " instead of --data.")
  String database;

  MetadataStore open() throws IOException {
    if (database != null) {
      return PostgresMetadataStore.open(
          PostgresDatabase.parse(database, System.getenv("FARM_DATABASE_PASSWORD")), 1);
    }
    Path db = data.resolve("farm.db");
    if (!Files.isRegularFile(db)) {
      throw new Failures.CommandFailure(ExitCodes.NOT_FOUND, "no Farm data folder at " + data
          + " (it has no farm.db); pass the server's folder with --data");
    }
    return SqliteMetadataStore.open(db);
  }
}
