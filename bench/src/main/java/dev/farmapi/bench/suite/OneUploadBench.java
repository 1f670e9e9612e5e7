package dev.farmapi.bench.suite;

import dev.farmapi.bench.Context;
import dev.farmapi.bench.run.Run;
import dev.farmapi.bench.run.ServerProcess;
import dev.farmapi.bench.run.Source;
import dev.farmapi.bench.run.Who;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * 8. One small upload as a user feels it: the wall time of a whole process that uploads 1 KiB
 * resumably and exits. Ours is {@code ./farm upload FILE} (the launcher script, as shipped);
 * the Python peer its script (discovery fetch, initiation, one chunk); curl its two processes
 * (initiate, PUT). Server on tmpfs. Several runs a repetition: each is short and noisy.
 */
public final class OneUploadBench {
  public static final String ID = "one";
  public static final long SIZE = 1024;
  static final int RUNS_PER_REP = 5;

  private OneUploadBench() {}

  public static void run(Context c) throws IOException, InterruptedException {
    Source src = c.sources().file(SIZE);
    Path cache = Files.createDirectories(c.tmpfs().resolve("farm-cache"));
    try (ServerProcess s = c.server(c.tmpfs(), "one")) {
      for (int rep = 0; rep < c.sizes().reps(); rep++) {
        c.log().println(" rep " + (rep + 1));
        for (int i = 0; i < (c.sizes().lean() ? 1 : RUNS_PER_REP); i++) {
          record(c, s, Who.OURS, c.clients().launcherUpload(s, src, cache));
          record(c, s, Who.PYTHON, c.clients().file(Who.PYTHON, s, src, 256 * 1024,
              java.util.List.of()));
          record(c, s, Who.CURL, c.clients().file(Who.CURL, s, src, 256 * 1024,
              java.util.List.of()));
        }
      }
    }
  }

  private static void record(Context c, ServerProcess s, Who who, Run run)
      throws IOException, InterruptedException {
    if (c.counted(ID, who.label(), run, s)) {
      c.results().add(ID, who.label(), "wall s", run.proc().wall());
      c.results().add(ID, who.label(), "cpu s", run.proc().cpu());
      c.results().add(ID, who.label(), "peak RSS MiB", run.proc().maxRssMiB());
    }
  }
}
