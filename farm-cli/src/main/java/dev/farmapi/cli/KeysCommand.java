package dev.farmapi.cli;

import dev.farmapi.server.ApiKeys;
import dev.farmapi.server.FarmData;
import dev.farmapi.server.store.PostgresDatabase;
import dev.farmapi.server.store.PostgresMetadataStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farm keys}: API keys, made directly in a server's data folder. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage API keys.",
    subcommands = {KeysCommand.Create.class, KeysList.class, KeysRevoke.class})
final class KeysCommand {

  /**
   * {@code farm keys create --farm NAME [--expires 30d] [--read-only] [--note TEXT]}: prints a
   * new key of that farm, once, on stdout (for scripts); what it is, on stderr.
   */
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create an API key for a farm (a tenant) and print it. Works while the server runs.")
  static final class Create implements Callable<Integer> {
    @Option(names = "--farm", required = true, description = "Farm the key belongs to: lower-case letters, digits and dashes.")
    String farm;

    @Option(names = "--data", defaultValue = "./farm-data", description = "The server's data folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--database", paramLabel = "URL", description = "The cluster's shared"
        + " PostgreSQL, postgresql://HOST:PORT/DB?user=USER (password from"
        + " FARM_DATABASE_PASSWORD), instead of the data folder.")
    String database;

    @Option(names = "--expires", paramLabel = "DURATION", description = "Make the key stop working after this long, e.g. 12h, 30d (default: never).")
    Duration expires;

    @Option(names = "--read-only", description = "The key may list, get and download, not change anything or upload.")
    boolean readOnly;

    @Option(names = "--note", paramLabel = "TEXT", description = "What the key is for, shown by 'farm keys list'.")
    String note;

    @Option(names = "--init", description = "Make the data folder if it is not one yet.")
    boolean init;

    @Override
    public Integer call() throws Exception {
      ApiKeys.Options options;
      try {
        options = ApiKeys.Options.DEFAULT.withLifetime(expires).withReadOnly(readOnly)
            .withNote(note); // checked before the folder is touched
      } catch (IllegalArgumentException e) {
        System.err.println("farm: " + e.getMessage());
        return ExitCodes.USAGE;
      }
      if (database != null) {
        try (PostgresMetadataStore store = PostgresMetadataStore.open(
            PostgresDatabase.parse(database, System.getenv("FARM_DATABASE_PASSWORD")), 1)) {
          report(ApiKeys.create(store, farm, options, Instant.now()));
        } catch (IllegalArgumentException e) {
          System.err.println("farm: " + e.getMessage());
          return ExitCodes.USAGE;
        }
        return ExitCodes.OK;
      }
      DataFolder.requireFarmData(data, init);
      try (FarmData farmData = FarmData.open(data)) {
        farmData.newAdminKey().ifPresent(key -> System.err.println(
            "Created the admin key of this new data folder too (in " + farmData.adminKeyFile() + ")"));
        report(ApiKeys.create(farmData.meta(), farm, options, Instant.now()));
      } catch (IllegalArgumentException e) {
        System.err.println("farm: " + e.getMessage());
        return ExitCodes.USAGE;
      }
      return ExitCodes.OK;
    }

    private void report(ApiKeys.NewKey made) {
      System.out.println(made.secret());
      System.err.println("Created key " + made.key().id() + " of farm " + farm + " ("
          + KeyText.scope(made.key()) + ", expires "
          + KeyText.minute(made.key().expireTime(), "never") + "); it is shown only this once");
    }
  }
}
