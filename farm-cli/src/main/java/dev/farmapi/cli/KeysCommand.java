package dev.farmapi.cli;

import dev.farmapi.server.ApiKeys;
import dev.farmapi.server.FarmData;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farm keys}: API keys, made directly in a server's data folder. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage API keys.",
    subcommands = KeysCommand.Create.class)
final class KeysCommand {

  /** {@code farm keys create --farm NAME}: prints a new key of that farm, once. */
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create an API key for a farm (a tenant) and print it. Works while the server runs.")
  static final class Create implements Callable<Integer> {
    @Option(names = "--farm", required = true, description = "Farm the key belongs to: lower-case letters, digits and dashes.")
    String farm;

    @Option(names = "--data", defaultValue = "./farm-data", description = "The server's data folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--init", description = "Make the data folder if it is not one yet.")
    boolean init;

    @Override
    public Integer call() throws Exception {
      DataFolder.requireFarmData(data, init);
      try (FarmData farmData = FarmData.open(data)) {
        farmData.newAdminKey().ifPresent(key -> System.err.println(
            "Created the admin key of this new data folder too (in " + farmData.adminKeyFile() + ")"));
        System.out.println(ApiKeys.create(farmData.meta(), farm));
      } catch (IllegalArgumentException e) {
        System.err.println("farm: " + e.getMessage());
        return ExitCodes.USAGE;
      }
      return ExitCodes.OK;
    }
  }
}
