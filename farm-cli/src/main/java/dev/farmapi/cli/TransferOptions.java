package dev.farmapi.cli;

import picocli.CommandLine.Option;

/** How the files of an upload or a download move: how many at once, how fast, and again. */
final class TransferOptions {
  @Option(names = {"-j", "--parallel"}, paramLabel = "N", defaultValue = "4",
      description = "Files transferred at once, over one client's kept connections"
          + " (default: ${DEFAULT-VALUE}).")
  int parallel;

  @Option(names = "--limit-rate", paramLabel = "RATE",
      description = "Cap on bytes per second for the whole command, all files together, as"
          + " curl's: e.g. 500K, 2M, 1G (binary units).")
  Long limitRate;

  /** A rate cap shared by every transfer of the command, or null for none. */
  RateLimit rateLimit() {
    if (limitRate == null) {
      return null;
    }
    if (limitRate <= 0) {
      throw new Failures.CommandFailure(ExitCodes.USAGE, "--limit-rate must be more than 0,"
          + " e.g. 500K or 2M");
    }
    return new RateLimit(limitRate);
  }

  void check() {
    if (parallel < 1 || parallel > 64) {
      throw new Failures.CommandFailure(ExitCodes.USAGE, "-j/--parallel must be 1 to 64");
    }
  }
}
