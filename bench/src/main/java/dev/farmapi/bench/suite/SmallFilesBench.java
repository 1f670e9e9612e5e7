package dev.farmapi.bench.suite;

import dev.farmapi.bench.Context;
import dev.farmapi.bench.run.Run;
import dev.farmapi.bench.run.ServerProcess;
import dev.farmapi.bench.run.Source;
import dev.farmapi.bench.run.Sources;
import dev.farmapi.bench.run.Who;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * 6. Many small files: each client uploads every small file as a multipart insert, one after
 * the other over one kept connection (curl: one invocation with all the requests). The server's
 * data is on the root disk: each insert is a durable blob and a committed row.
 */
public final class SmallFilesBench {
  public static final String ID = "small";

  private SmallFilesBench() {}

  public static void run(Context c) throws IOException, InterruptedException {
    List<Source> files = c.sources().smallFiles(c.sizes().smallCount(), c.sizes().smallSize());
    Path list = Sources.listFile(files, c.disk().resolve("small-list.txt"));
    Path warmList = Sources.listFile(files.subList(0, Math.min(50, files.size())),
        c.disk().resolve("small-warm.txt"));
    try (ServerProcess s = c.server(c.disk(), "small")) {
      if (!c.sizes().lean()) {
        c.counted("warm-up", "ours", c.clients().small(Who.OURS, s,
            files.subList(0, Math.min(50, files.size())), warmList), s);
      }
      for (int rep = 0; rep < c.sizes().reps(); rep++) {
        c.log().println(" rep " + (rep + 1));
        for (Who who : DurableBench.CLIENTS) {
          Run run = c.clients().small(who, s, files, list);
          if (c.counted(ID, who.label(), run, s)) {
            c.results().add(ID, who.label(), "uploads/s", run.uploads() / run.transferSeconds());
            c.results().add(ID, who.label(), "cpu ms/upload",
                run.proc().cpu() * 1000 / run.uploads());
          }
        }
      }
    }
  }
}
