package dev.farmapi.cli;

import dev.farmapi.server.store.ApiKey;
import dev.farmapi.server.store.MetadataStore;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code farm keys list [--farm NAME] [--all] [--json]}: the keys of a data folder, never their secrets. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List API keys by id (never the key itself): farm, scope, state, created,"
        + " expires, last used (to the minute) and note. Works while the server runs.")
final class KeysList implements Callable<Integer> {
  @Option(names = "--farm", paramLabel = "NAME", description = "Only the keys of this farm.")
  String farm;

  @Option(names = "--all", description = "Revoked keys too.")
  boolean all;

  @Option(names = "--json", description = "Print the keys as JSON, for scripts.")
  boolean json;

  @Mixin KeyStoreOptions store;

  @Override
  public Integer call() throws Exception {
    Instant now = Instant.now();
    List<ApiKey> keys;
    try (MetadataStore meta = store.open()) {
      keys = meta.keys().stream()
          .filter(k -> farm == null || k.farm().equals(farm))
          .filter(k -> all || !k.isRevoked())
          .toList();
    }
    if (json) {
      JsonOutput.print(KeyText.json(keys, now), System.out);
    } else if (keys.isEmpty()) {
      System.err.println(farm == null ? "No keys." : "No keys of farm '" + farm + "'.");
    } else {
      KeyText.table(keys, now, System.out);
    }
    return ExitCodes.OK;
  }
}
