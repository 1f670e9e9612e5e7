package dev.farmapi.cli;

import picocli.CommandLine.Option;

/**
 * How a command talks: a progress bar on a terminal, plain progress lines otherwise, nothing with
 * {@code --quiet}; results as text, or as JSON with {@code --json}. Progress and messages go to
 * stderr, results to stdout, so that scripts can pipe one and watch the other.
 */
final class OutputOptions {
  @Option(names = {"-q", "--quiet"}, description = "Print no progress.")
  boolean quiet;

  @Option(names = "--json", description = "Print the result as JSON, for scripts.")
  boolean json;

  @Option(names = {"-v", "--verbose"}, description = "Say more, and show the detail of errors.")
  boolean verbose;

  /** Whether progress should be a live bar (a terminal) rather than lines. */
  static boolean onTerminal() {
    return System.console() != null;
  }
}
