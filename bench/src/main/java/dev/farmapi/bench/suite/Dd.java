package dev.farmapi.bench.suite;

import dev.farmapi.bench.Context;
import dev.farmapi.bench.run.ProcStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The physical limit: {@code dd ... bs=8M conv=fsync} of the same number of bytes onto the same
 * file system as the server's data, from /dev/zero and from the source file.
 */
final class Dd {
  static final String ZERO = "dd /dev/zero (limit)";
  static final String SOURCE = "dd source file";

  private Dd() {}

  /** Runs dd from {@code from} and records seconds and MiB/s under {@code subject}. */
  static void measure(Context c, String bench, String subject, String from, long bytes, Path dir)
      throws IOException, InterruptedException {
    long bs = Math.min(8L << 20, bytes);
    Path target = dir.resolve("dd.bin");
    Files.createDirectories(dir);
    try {
      ProcStats p = c.clients().command(List.of("dd", "if=" + from, "of=" + target,
          "bs=" + bs, "count=" + (bytes / bs), "conv=fsync", "status=none"));
      if (p.exit() != 0) {
        c.results().fail(bench, subject, "dd exit " + p.exit() + ": " + p.stderr());
        return;
      }
      c.log().printf("  %-34s %.2f s, %.0f MiB/s%n", subject, p.wall(),
          bytes / 1048576.0 / p.wall());
      c.results().add(bench, subject, "seconds", p.wall());
      c.results().add(bench, subject, "MiB/s", bytes / 1048576.0 / p.wall());
    } finally {
      Files.deleteIfExists(target);
    }
  }
}
