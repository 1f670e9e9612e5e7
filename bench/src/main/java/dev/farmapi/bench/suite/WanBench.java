package dev.farmapi.bench.suite;

import dev.farmapi.bench.Context;
import dev.farmapi.bench.run.DelayProxy;
import dev.farmapi.bench.run.Run;
import dev.farmapi.bench.run.ServerProcess;
import dev.farmapi.bench.run.Source;
import dev.farmapi.bench.run.Who;
import java.io.IOException;
import java.util.List;

/**
 * 9. A wide-area link: the durable upload's protocol (resumable, 8 MiB chunks) through a
 * {@link DelayProxy} that makes each round trip take {@link #RTT_MILLIS} ms; server on tmpfs.
 * Every chunk costs a round trip for its answer, so this shows what each client does per chunk
 * beyond the bytes (curl sends the whole file in one PUT: the floor).
 */
public final class WanBench {
  public static final String ID = "wan";
  public static final long RTT_MILLIS = 50;

  private WanBench() {}

  /** The bytes: 256 MiB in a full run, the durable size otherwise. */
  static long size(Context c) {
    return Math.min(256L << 20, c.sizes().durable());
  }

  public static void run(Context c) throws IOException, InterruptedException {
    Source src = c.sources().file(size(c));
    long chunk = c.sizes().chunk();
    try (ServerProcess direct = c.server(c.tmpfs(), "wan");
         DelayProxy proxy = DelayProxy.start(direct.root(), RTT_MILLIS / 2)) {
      ServerProcess s = direct.via(proxy.root());
      for (int rep = 0; rep < c.sizes().reps(); rep++) {
        c.log().println(" rep " + (rep + 1));
        for (Who who : DurableBench.CLIENTS) {
          Run run = c.clients().file(who, s, src, chunk, List.of());
          if (c.counted(ID, who.label(), run, direct)) {
            c.results().add(ID, who.label(), "seconds", run.transferSeconds());
            c.results().add(ID, who.label(), "MiB/s", run.mibPerSecond());
            c.results().add(ID, who.label(), "cpu s", run.proc().cpu());
          }
        }
      }
    }
  }
}
