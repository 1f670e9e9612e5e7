package dev.farmapi.cli;

/**
 * Exit codes scripts can rely on. Every failure prints one line on stderr ({@code farm: ...});
 * {@code --verbose} adds the detail.
 */
final class ExitCodes {
  static final int OK = 0;
  /** Something failed that has no more specific code. */
  static final int FAILURE = 1;
  /** The command line was wrong (picocli's own code for usage errors). */
  static final int USAGE = 2;
  /** No API key, or one the server refuses (401, 403). */
  static final int AUTH = 3;
  /** What was asked for does not exist (404): an animal, a file, a saved upload. */
  static final int NOT_FOUND = 4;
  /** The bytes are not the source's: a checksum mismatch. */
  static final int INTEGRITY = 5;
  /** The server failed (5xx) or could not be reached, after all retries. */
  static final int SERVER = 6;

  private ExitCodes() {}
}
