package dev.farmapi.bench.report;

import dev.farmapi.bench.suite.DownloadsBench;
import dev.farmapi.bench.suite.DurableBench;
import dev.farmapi.bench.suite.EfficiencyBench;
import dev.farmapi.bench.suite.LoadBench;
import dev.farmapi.bench.suite.MemoryBench;
import dev.farmapi.bench.run.Who;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The performance goals, judged on the medians of a run ("not run" when a figure is missing). */
final class Goals {
  private final Results r;

  Goals(Results r) {
    this.r = r;
  }

  List<List<String>> rows() {
    List<List<String>> rows = new ArrayList<>();
    String b = DurableBench.ID;
    double ours = r.stats(b, Who.OURS.label(), "seconds").median();
    double dd = r.stats(b, ReportWriter.DD, "seconds").median();
    rows.add(row("2. durable upload time", "<= 1.25x dd", Markdown.ratio(ours, dd) + " of dd",
        ours / dd <= 1.25, ours, dd));

    String e = EfficiencyBench.ID;
    double oursCpu = r.stats(e, Who.OURS.label(), "cpu s/GiB").median();
    double curl = r.stats(e, Who.CURL.label(), "cpu s/GiB").median();
    double java = r.stats(e, Who.JAVA.label(), "cpu s/GiB").median();
    double python = r.stats(e, Who.PYTHON.label(), "cpu s/GiB").median();
    rows.add(row("3. client CPU vs curl", "<= 2x curl", Markdown.ratio(oursCpu, curl) + " of curl",
        oursCpu / curl <= 2, oursCpu, curl));
    rows.add(row("3. client CPU vs Google clients", "< Java and Python peers",
        Stats.fmt(oursCpu) + " vs " + Stats.fmt(java) + " / " + Stats.fmt(python) + " s/GiB",
        oursCpu < java && oursCpu < python, oursCpu, java, python));

    String m = MemoryBench.ID;
    // Judged with the flags we recommend when memory matters (MemoryBench.OURS_LEAN), or
    // -Xmx64m alone where a run has no such case (the tiny and quick sizes).
    String lean = String.join(" ", MemoryBench.OURS_LEAN);
    List<String> oursFile = r.subjects(m, "peak RSS MiB").stream()
        .filter(s -> s.startsWith("ours file") && (s.endsWith(lean) || s.endsWith("-Xmx64m")))
        .sorted(Comparator.comparing((String s) -> !s.endsWith(lean))).toList();
    double rss = oursFile.isEmpty() ? Double.NaN
        : r.stats(m, oursFile.get(0), "peak RSS MiB").median();
    String flags = oursFile.isEmpty() || !oursFile.get(0).endsWith(lean) ? "-Xmx64m" : lean;
    rows.add(row("4. client peak RSS, file", "<= 96 MiB (" + flags + ")",
        Stats.fmt(rss) + " MiB", rss <= 96, rss));

    String l = LoadBench.ID;
    double agg = r.stats(l, LoadBench.SUBJECT, "MiB/s").median();
    double limit = r.stats(l, ReportWriter.DD, "MiB/s").median();
    rows.add(row("5. load: aggregate throughput", ">= 0.8x dd",
        Markdown.ratio(agg, limit) + " of dd", agg / limit >= 0.8, agg, limit));
    double peak = r.stats(l, LoadBench.SUBJECT, "server peak RSS MiB").max();
    rows.add(row("5. load: server peak RSS", "<= 512 MiB", Stats.fmt(peak) + " MiB (max)",
        peak <= 512, peak));
    long errors = r.failures().stream().filter(f -> f.startsWith(l + " / ")).count();
    rows.add(row("5. load: no errors", "0 runs failed", errors + " failed",
        errors == 0, r.stats(l, LoadBench.SUBJECT, "MiB/s").present() || errors > 0 ? 0 : Double.NaN));
    downloads(rows);
    return rows;
  }

  /** Issue 17's goals, for the launcher as shipped. */
  private void downloads(List<List<String>> rows) {
    String d = DownloadsBench.ID;
    String ours = DownloadsBench.FARM;
    double wall = r.stats(d, ours, "wall s").median();
    double curlWall = r.stats(d, Who.CURL.label(), "wall s").median();
    rows.add(row("8. download wall vs curl", "<= 1.25x curl",
        Markdown.ratio(wall, curlWall) + " of curl", wall / curlWall <= 1.25, wall, curlWall));
    double cpu = r.stats(d, ours, "cpu s").median();
    double curlCpu = r.stats(d, Who.CURL.label(), "cpu s").median();
    rows.add(row("8. download CPU vs curl", "<= 1.5x curl (CRC32C verified)",
        Markdown.ratio(cpu, curlCpu) + " of curl", cpu / curlCpu <= 1.5, cpu, curlCpu));
    double rss = r.stats(d, ours, "peak RSS MiB").median();
    rows.add(row("8. download peak RSS", "<= 64 MiB (`farm` as shipped)",
        Stats.fmt(rss) + " MiB", rss <= 64, rss));
    String sm = DownloadsBench.SMALL;
    String goal = "8. small downloads vs Python";
    String target = ">= Python's files/s (`farm download ID...`)";
    double many = r.stats(sm, DownloadsBench.FARM_MANY, "files/s").median();
    double python = r.stats(sm, Who.PYTHON.label(), "files/s").median();
    if (Double.isNaN(many) && !Double.isNaN(python) && !r.notes(d).isEmpty()) {
      rows.add(List.of(goal, target, "not measured: `farm download` takes one id in this build",
          "-"));
      return;
    }
    rows.add(row(goal, target, Stats.fmt(many) + " vs " + Stats.fmt(python) + " files/s",
        many >= python, many, python));
  }

  private static List<String> row(String goal, String target, String measured, boolean met,
      double... inputs) {
    for (double d : inputs) {
      if (Double.isNaN(d)) {
        return List.of(goal, target, "not run", "-");
      }
    }
    return List.of(goal, target, measured, met ? "yes" : "**no**");
  }
}
