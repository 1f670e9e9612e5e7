package dev.farmapi.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The check that a {@code --data} folder is a Farm server's before a command writes into it: a
 * typo must not quietly make a new data folder whose keys the running server never sees.
 */
final class DataFolder {
  private DataFolder() {}

  /** Refuses {@code data} unless it holds a Farm database, or {@code init} allows making one. */
  static void requireFarmData(Path data, boolean init) {
    if (init || Files.isRegularFile(data.resolve("farm.db"))) {
      return;
    }
    throw new Failures.CommandFailure(ExitCodes.USAGE, data + (Files.exists(data)
        ? " is not a Farm data folder (it has no farm.db)"
        : " does not exist") + "; give the --data of the running 'farm serve', or --init to"
        + " make a new data folder");
  }
}
