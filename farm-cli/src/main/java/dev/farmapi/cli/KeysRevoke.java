package dev.farmapi.cli;

import dev.farmapi.server.ApiKeys;
import dev.farmapi.server.store.ApiKey;
import dev.farmapi.server.store.MetadataStore;
import java.time.Instant;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code farm keys revoke ID [--force]}: running servers refuse the key within seconds. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
    description = "Revoke an API key: every server on this data folder refuses it within 5"
        + " seconds, and upload sessions it started take no further chunk. Works while the"
        + " server runs.")
final class KeysRevoke implements Callable<Integer> {
  @Parameters(paramLabel = "ID", description = "The key's id (from 'farm keys list'), or the"
      + " whole key, as found where it leaked.")
  String idOrKey;

  @Option(names = "--force", description = "Revoke the farm's last valid key too, which locks"
      + " everyone out of that farm until a new key is made.")
  boolean force;

  @Mixin KeyStoreOptions store;

  @Override
  public Integer call() throws Exception {
    ApiKey key;
    try (MetadataStore meta = store.open()) {
      key = ApiKeys.revoke(meta, idOrKey, force, Instant.now());
    } catch (NoSuchElementException e) {
      throw new Failures.CommandFailure(ExitCodes.NOT_FOUND, e.getMessage());
    } catch (IllegalStateException e) {
      throw new Failures.CommandFailure(ExitCodes.FAILURE, e.getMessage());
    }
    if (key.isRevoked()) {
      System.out.println("Key " + key.id() + " of farm " + key.farm() + " was already revoked ("
          + KeyText.minute(key.revokeTime(), "") + ")");
    } else {
      System.out.println("Revoked key " + key.id() + " of farm " + key.farm() + " ("
          + KeyText.scope(key) + "); servers refuse it within 5 seconds");
    }
    return ExitCodes.OK;
  }
}
