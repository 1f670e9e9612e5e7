package dev.farmapi.bench.report;

import static dev.farmapi.bench.report.Markdown.ratio;

import dev.farmapi.bench.Sizes;
import dev.farmapi.bench.run.Who;
import dev.farmapi.bench.suite.DownloadsBench;
import java.util.ArrayList;
import java.util.List;

/** The report's section on downloads ({@link DownloadsBench}): the large file, the small ones. */
final class DownloadsReport {
  private final Results r;
  private final Sizes sizes;
  private final Markdown md;

  DownloadsReport(Results r, Sizes sizes, Markdown md) {
    this.r = r;
    this.sizes = sizes;
    this.md = md;
  }

  void write() {
    String b = DownloadsBench.ID;
    md.heading(2, "10. Downloads");
    md.para("One picture of " + Sizes.human(sizes.durable()) + ", then " + sizes.smallCount()
        + " of " + Sizes.human(sizes.smallSize()) + ", downloaded from `farm serve` (data on "
        + "tmpfs) into tmpfs, each subject a process of its own; every file is checked against "
        + "its source by MD5 and size, then deleted. Wall, CPU and peak RSS are the whole "
        + "process's, start-up included (for Python: its imports and the discovery fetch). Ours: "
        + "`./farm download ID -o FILE`, the launcher as shipped (" + r.facts().getOrDefault(
            "ours started with", "?") + "), CRC32C verified, one request; small files: "
        + "`./farm download ID... -o DIR` when this build takes several ids, and our library "
        + "(`MediaDownload` per file) in a process of its own. Python peer: "
        + "`MediaIoBaseDownload(chunksize=8 MiB)` and its `next_chunk()` loop. curl: "
        + "`curl -o FILE URL`; small files: one invocation with every URL (`-K`), one "
        + "connection. Server CPU: read from `/proc` before and after each run. Goals: wall <= "
        + "1.25x curl, CPU <= 1.5x curl, peak RSS <= 64 MiB; small files at least the Python "
        + "peer's rate.");
    double curlWall = median(b, Who.CURL.label(), "wall s");
    double curlCpu = median(b, Who.CURL.label(), "cpu s");
    List<List<String>> rows = new ArrayList<>();
    for (String s : r.subjects(b, "wall s")) {
      Stats wall = r.stats(b, s, "wall s");
      Stats cpu = r.stats(b, s, "cpu s");
      rows.add(List.of(s, wall.text(), ratio(wall.median(), curlWall), cpu.text(),
          ratio(cpu.median(), curlCpu), r.stats(b, s, "user s").text(),
          r.stats(b, s, "sys s").text(), r.stats(b, s, "start-up cpu s").text(),
          r.stats(b, s, "net cpu s/GiB").text(), r.stats(b, s, "peak RSS MiB").text(),
          r.stats(b, s, "MiB/s").text(), r.stats(b, s, "server cpu s/GiB").text()));
    }
    md.table(List.of("subject", "wall s", "wall vs curl", "CPU s", "CPU vs curl", "user s",
        "sys s", "start-up CPU s", "net CPU s/GiB", "peak RSS MiB", "MiB/s",
        "server CPU s/GiB"), rows);
    md.para("Start-up CPU: the same process downloading one " + Sizes.human(sizes.smallSize())
        + " picture; net CPU s/GiB = (CPU - start-up CPU) / GiB, the cost that grows with the "
        + "bytes. What limits us where a goal is not met, and the before/after of each change: "
        + "[bench/OPTIMIZATIONS.md](../bench/OPTIMIZATIONS.md), section Downloads.");
    String sm = DownloadsBench.SMALL;
    double python = median(sm, Who.PYTHON.label(), "files/s");
    List<List<String>> small = new ArrayList<>();
    for (String s : r.subjects(sm, "files/s")) {
      Stats rate = r.stats(sm, s, "files/s");
      small.add(List.of(s, rate.text(), ratio(rate.median(), python),
          r.stats(sm, s, "cpu ms/file").text(), r.stats(sm, s, "peak RSS MiB").text(),
          r.stats(sm, s, "server cpu ms/file").text()));
    }
    md.table(List.of("subject (" + sizes.smallCount() + " x " + Sizes.human(sizes.smallSize())
        + ")", "files/s", "vs Python", "CPU ms/file", "peak RSS MiB", "server CPU ms/file"),
        small);
    r.notes(b).forEach(n -> md.bullet(n.replace("|", "/")));
    md.end();
  }

  private double median(String bench, String subject, String metric) {
    return r.stats(bench, subject, metric).median();
  }
}
