package dev.farmapi.cli;

import dev.farmapi.apiclient.RetryListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Tells the user about each retry, so that a transfer is seen surviving trouble. On a terminal
 * the line is written over the progress bar's line, which redraws itself below it.
 */
final class RetryNotes implements RetryListener {
  private final boolean quiet;
  private final PrintStream err;

  RetryNotes(OutputOptions output, PrintStream err) {
    this.quiet = output.quiet;
    this.err = err;
  }

  @Override
  public void onRetry(Retry retry) {
    if (quiet) {
      return;
    }
    String line = String.format(Locale.ROOT, "farm: retry %d of %d in %.1f s after: %s",
        retry.number(), retry.maxRetries(), retry.delay().toMillis() / 1000.0,
        Failures.describe(retry.failure()));
    synchronized (err) {
      err.print(OutputOptions.onTerminal() ? "\r\033[2K" + line + "\n" : line + "\n");
      err.flush();
    }
  }
}
