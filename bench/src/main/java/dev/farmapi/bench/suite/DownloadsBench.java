package dev.farmapi.bench.suite;

import dev.farmapi.bench.Context;
import dev.farmapi.bench.run.Downloads;
import dev.farmapi.bench.run.Downloads.Kind;
import dev.farmapi.bench.run.Run;
import dev.farmapi.bench.run.ServerProcess;
import dev.farmapi.bench.run.Source;
import dev.farmapi.bench.run.Sources;
import dev.farmapi.bench.run.Who;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * 10. Downloads: one picture of the durable size, and many small ones, from {@code farm serve} on
 * tmpfs into tmpfs, by ours through the {@code farm} launcher as shipped ({@code farm download}),
 * the Python peer's {@code MediaIoBaseDownload} and curl. Each run is its own process (wall, CPU, peak RSS), every
 * file it wrote is checked against its source by MD5; the server's CPU is read from
 * {@code /proc} before and after each run, per GiB (or file) it sent.
 */
public final class DownloadsBench {
  public static final String ID = "downloads";
  /** The results of the small files, beside {@link #ID}'s of the large one. */
  public static final String SMALL = "downloads-small";
  public static final String FARM = "ours: farm download";
  public static final String FARM_MANY = "ours: farm download ID... -o DIR";
  public static final String LIBRARY = "ours: MediaDownload in one process";
  private static final double GIB = 1 << 30;

  private DownloadsBench() {}

  /** A subject: its label, how it downloads, and its environment. */
  private record Subject(String label, Kind kind, Map<String, String> env) {}

  public static void run(Context c) throws IOException, InterruptedException {
    Downloads downloads = new Downloads(c.launch(), c.tmpfs().resolve("scratch"));
    Files.createDirectories(c.tmpfs().resolve("scratch"));
    Source big = c.sources().file(c.sizes().durable());
    List<Source> small = c.sources().smallFiles(c.sizes().smallCount(), c.sizes().smallSize());
    Path out = Files.createDirectories(c.tmpfs().resolve("downloaded"));
    // As shipped: whatever the launcher does, so no FARM_JAVA_OPTS from the harness's shell.
    Map<String, String> shipped = Map.of("FARM_JAVA_OPTS", "");
    List<Subject> bigSubjects = List.of(new Subject(FARM, Kind.FARM, shipped),
        new Subject(Who.PYTHON.label(), Kind.PYTHON, Map.of()),
        new Subject(Who.CURL.label(), Kind.CURL, Map.of()));
    List<Subject> smallSubjects = new ArrayList<>();
    if (downloads.farmTakesManyIds()) {
      smallSubjects.add(new Subject(FARM_MANY, Kind.FARM, shipped));
    } else {
      c.results().note(ID, "`farm download` of this build takes one id: the launcher's"
          + " small-file case was not run (each file would be a JVM of its own).");
    }
    smallSubjects.addAll(List.of(new Subject(LIBRARY, Kind.LIBRARY, Map.of()),
        new Subject(Who.PYTHON.label(), Kind.PYTHON, Map.of()),
        new Subject(Who.CURL.label(), Kind.CURL, Map.of())));
    try (ServerProcess s = c.server(c.tmpfs(), "downloads")) {
      String bigId = upload(c, s, big);
      List<String> smallIds = uploadSmall(c, s, small);
      if (!c.sizes().lean()) { // the server's JIT and the page cache, not counted
        downloads.one(Kind.CURL, Map.of(), s, bigId, big, out.resolve("warm-up"));
      }
      for (int rep = 0; rep < c.sizes().reps(); rep++) {
        c.log().println(" rep " + (rep + 1));
        for (Subject who : bigSubjects) {
          // The same process for one small picture: its fixed cost (start-up, first requests).
          Run fixed = downloads.one(who.kind(), who.env(), s, smallIds.get(0), small.get(0),
              out.resolve("fixed.bin"));
          double cpu0 = s.cpuSeconds();
          Run run = downloads.one(who.kind(), who.env(), s, bigId, big, out.resolve("big.bin"));
          double server = s.cpuSeconds() - cpu0;
          if (counted(c, ID, who.label() + ", one small picture", fixed)
              && counted(c, ID, who.label(), run)) {
            c.results().add(ID, who.label(), "start-up cpu s", fixed.proc().cpu());
            c.results().add(ID, who.label(), "net cpu s/GiB",
                (run.proc().cpu() - fixed.proc().cpu()) / (big.size() / GIB));
            c.results().add(ID, who.label(), "wall s", run.proc().wall());
            c.results().add(ID, who.label(), "cpu s", run.proc().cpu());
            c.results().add(ID, who.label(), "user s", run.proc().user());
            c.results().add(ID, who.label(), "sys s", run.proc().sys());
            c.results().add(ID, who.label(), "peak RSS MiB", run.proc().maxRssMiB());
            c.results().add(ID, who.label(), "MiB/s", run.mibPerSecond());
            c.results().add(ID, who.label(), "server cpu s/GiB", server / (big.size() / GIB));
          }
        }
        for (Subject who : smallSubjects) {
          double cpu0 = s.cpuSeconds();
          Run run = downloads.many(who.kind(), who.env(), s, smallIds, small,
              out.resolve("small"));
          double server = s.cpuSeconds() - cpu0;
          if (counted(c, SMALL, who.label(), run)) {
            c.results().add(SMALL, who.label(), "files/s", run.uploads() / run.proc().wall());
            c.results().add(SMALL, who.label(), "cpu ms/file",
                run.proc().cpu() * 1000 / run.uploads());
            c.results().add(SMALL, who.label(), "peak RSS MiB", run.proc().maxRssMiB());
            c.results().add(SMALL, who.label(), "server cpu ms/file",
                server * 1000 / run.uploads());
          }
        }
      }
    }
  }

  /** Logs a run; records it as a failure of {@link #ID} unless every file verified. */
  private static boolean counted(Context c, String bench, String label, Run run) {
    c.log().printf("  %-44s %s%n", label, run.verified()
        ? String.format("wall %.2f s, cpu %.2f s, rss %.0f MiB, %d file(s) verified",
            run.proc().wall(), run.proc().cpu(), run.proc().maxRssMiB(), run.uploads())
        : "DID NOT COUNT: " + run.failure());
    if (!run.verified()) {
      c.results().fail(ID, label + (bench.equals(SMALL) ? ", small files" : ""), run.failure());
      return false;
    }
    c.results().downloaded(run.uploads());
    return true;
  }

  private static String upload(Context c, ServerProcess s, Source src)
      throws IOException, InterruptedException {
    Run up = c.clients().file(Who.OURS, s, src, c.sizes().chunk(), List.of());
    if (!up.verified()) {
      throw new IOException("uploading the download's source failed: " + up.failure());
    }
    c.results().verified(up.uploads());
    return up.ids().get(0);
  }

  private static List<String> uploadSmall(Context c, ServerProcess s, List<Source> files)
      throws IOException, InterruptedException {
    Path list = Sources.listFile(files, c.tmpfs().resolve("scratch/small-sources.txt"));
    Run up = c.clients().small(Who.OURS, s, files, list);
    if (!up.verified()) {
      throw new IOException("uploading the small sources failed: " + up.failure());
    }
    c.results().verified(up.uploads());
    return up.ids();
  }
}
