package dev.farmapi.cli;

/** Exit codes scripts can rely on. */
final class ExitCodes {
  static final int OK = 0;
  /** Something failed that has no more specific code. */
  static final int FAILURE = 1;
  /** The command line was wrong (picocli's own code for usage errors). */
  static final int USAGE = 2;

  private ExitCodes() {}
}
