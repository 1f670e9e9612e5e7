package dev.farmapi.cli;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The columns of the terminal, so that a progress bar never wraps (a wrapped bar redraws as a
 * new line each time): {@code $COLUMNS} when exported, else {@code stty size} on the terminal,
 * else 80.
 */
final class TerminalWidth {
  private TerminalWidth() {}

  static int columns() {
    String env = System.getenv("COLUMNS");
    if (env != null && env.matches("\\d{2,4}")) {
      return Integer.parseInt(env);
    }
    try {
      Process stty = new ProcessBuilder("stty", "size")
          .redirectInput(new File("/dev/tty")).redirectErrorStream(true).start();
      if (stty.waitFor(2, TimeUnit.SECONDS) && stty.exitValue() == 0) {
        String[] rowsCols = new String(stty.getInputStream().readAllBytes(),
            StandardCharsets.US_ASCII).trim().split("\\s+");
        int cols = Integer.parseInt(rowsCols[1]);
        if (cols >= 20) {
          return cols;
        }
      }
      stty.destroy();
    } catch (Exception e) {
      // no stty, no terminal: the default
    }
    return 80;
  }
}
