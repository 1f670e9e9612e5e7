package dev.farmapi.bench.report;

import dev.farmapi.bench.Sizes;
import dev.farmapi.bench.run.Who;
import dev.farmapi.bench.suite.DownloadsBench;
import dev.farmapi.bench.suite.DurableBench;
import dev.farmapi.bench.suite.EfficiencyBench;
import dev.farmapi.bench.suite.LoadBench;
import dev.farmapi.bench.suite.MemoryBench;
import dev.farmapi.bench.suite.OneUploadBench;
import dev.farmapi.bench.suite.SmallFilesBench;
import dev.farmapi.bench.suite.SweepBench;
import java.util.ArrayList;
import java.util.List;

/**
 * The performance goals, judged on the medians of a run ("not run" when a figure is missing).
 * Ours is judged as users get it: the farm launcher's JVM options and the library's defaults.
 */
final class Goals {
  private static final String OURS = Who.OURS.label();
  private static final String JAVA = Who.JAVA.label();
  private static final String PYTHON = Who.PYTHON.label();
  private static final String CURL = Who.CURL.label();

  private final Results r;
  private final Sizes sizes;

  Goals(Results r, Sizes sizes) {
    this.r = r;
    this.sizes = sizes;
  }

  List<List<String>> rows() {
    List<List<String>> rows = new ArrayList<>();
    String b = DurableBench.ID;
    double ours = median(b, OURS, "seconds");
    double java = median(b, JAVA, "seconds");
    double python = median(b, PYTHON, "seconds");
    double curl = median(b, CURL, "seconds");
    double dd = median(b, ReportWriter.DD, "seconds");
    rows.add(row("durable upload: ours vs the Google clients", "<= both peers' time",
        Markdown.ratio(ours, java) + " of Java, " + Markdown.ratio(ours, python) + " of Python",
        ours <= java && ours <= python, ours, java, python));
    rows.add(row("durable upload: ours vs curl", "<= 1.05x curl",
        Markdown.ratio(ours, curl) + " of curl", ours / curl <= 1.05, ours, curl));
    rows.add(row("durable upload: ours vs the disk", "<= 1.25x dd",
        Markdown.ratio(ours, dd) + " of dd", ours / dd <= 1.25, ours, dd));

    String e = EfficiencyBench.ID;
    double cpu = median(e, OURS, "cpu s/GiB");
    double curlCpu = median(e, CURL, "cpu s/GiB");
    double pythonCpu = median(e, PYTHON, "cpu s/GiB");
    rows.add(row("client CPU per GiB vs curl", "<= 1.25x curl",
        Markdown.ratio(cpu, curlCpu) + " of curl", cpu / curlCpu <= 1.25, cpu, curlCpu));
    rows.add(row("client CPU per GiB vs Python", "< Python",
        Stats.fmt(cpu) + " vs " + Stats.fmt(pythonCpu) + " s/GiB", cpu < pythonCpu, cpu,
        pythonCpu));

    String m = MemoryBench.ID;
    for (String kind : List.of("file", "stream")) {
      String subject = r.subjects(m, "peak RSS MiB").stream()
          .filter(s -> s.startsWith("ours " + kind) && s.endsWith(MemoryBench.LAUNCHER))
          .findFirst().orElse("");
      double rss = median(m, subject, "peak RSS MiB");
      rows.add(row("client peak RSS, " + subject.replace("ours ", ""), "<= 64 MiB",
          Stats.fmt(rss) + " MiB", rss <= 64, rss));
    }

    String sm = SmallFilesBench.ID;
    double small = median(sm, OURS, "uploads/s");
    double smallCurl = median(sm, CURL, "uploads/s");
    double smallPython = median(sm, PYTHON, "uploads/s");
    rows.add(row("small files vs curl", ">= 0.8x curl's uploads/s",
        Markdown.ratio(small, smallCurl) + " of curl", small / smallCurl >= 0.8, small,
        smallCurl));
    rows.add(row("small files vs Python", "ahead of Python",
        Markdown.ratio(small, smallPython) + " of Python", small > smallPython, small,
        smallPython));

    double worst = Double.NaN;
    long worstChunk = 0;
    for (long chunk : sizes.sweepChunks()) {
      String metric = SweepBench.metric(chunk);
      double ratio = median(SweepBench.ID, OURS, metric) / median(SweepBench.ID, JAVA, metric);
      if (Double.isNaN(worst) || ratio < worst || Double.isNaN(ratio)) {
        worst = ratio;
        worstChunk = chunk;
      }
    }
    rows.add(row("chunk sweep vs the Java peer", "ahead at every chunk size",
        "lowest " + Stats.fmt(worst) + "x (at " + Sizes.human(worstChunk) + ")", worst > 1,
        worst));

    String o = OneUploadBench.ID;
    double one = median(o, OURS, "wall s");
    double onePython = median(o, PYTHON, "wall s");
    rows.add(row("one 1 KiB `farm upload`, wall", "<= 2x Python's",
        Markdown.ratio(one, onePython) + " of Python (" + Stats.fmt(one) + " s)",
        one / onePython <= 2, one, onePython));

    String l = LoadBench.ID;
    double agg = median(l, LoadBench.SUBJECT, "MiB/s");
    double limit = median(l, ReportWriter.DD, "MiB/s");
    rows.add(row("load: aggregate throughput", ">= 0.8x dd",
        Markdown.ratio(agg, limit) + " of dd", agg / limit >= 0.8, agg, limit));
    double peak = r.stats(l, LoadBench.SUBJECT, "server peak RSS MiB").max();
    rows.add(row("load: server peak RSS", "<= 512 MiB", Stats.fmt(peak) + " MiB (max)",
        peak <= 512, peak));
    long errors = r.failures().stream().filter(f -> f.startsWith(l + " / ")).count();
    rows.add(row("load: no errors", "0 runs failed", errors + " failed",
        errors == 0, r.stats(l, LoadBench.SUBJECT, "MiB/s").present() || errors > 0 ? 0 : Double.NaN));
    downloads(rows);
    return rows;
  }

  /** The downloads' goals, for the launcher as shipped. */
  private void downloads(List<List<String>> rows) {
    String d = DownloadsBench.ID;
    String ours = DownloadsBench.FARM;
    String size = Sizes.human(sizes.durable());
    double wall = median(d, ours, "wall s");
    double curlWall = median(d, CURL, "wall s");
    rows.add(row("download " + size + ": wall vs curl", "<= 1.25x curl",
        Markdown.ratio(wall, curlWall) + " of curl", wall / curlWall <= 1.25, wall, curlWall));
    double cpu = median(d, ours, "cpu s");
    double curlCpu = median(d, CURL, "cpu s");
    rows.add(row("download " + size + ": CPU vs curl", "<= 1.5x curl (CRC32C verified)",
        Markdown.ratio(cpu, curlCpu) + " of curl", cpu / curlCpu <= 1.5, cpu, curlCpu));
    double rss = median(d, ours, "peak RSS MiB");
    rows.add(row("download " + size + ": peak RSS", "<= 64 MiB",
        Stats.fmt(rss) + " MiB", rss <= 64, rss));
    String sm = DownloadsBench.SMALL;
    String goal = "small downloads vs Python";
    String target = ">= Python's files/s (`farm download ID...`)";
    double many = median(sm, DownloadsBench.FARM_MANY, "files/s");
    double python = median(sm, PYTHON, "files/s");
    if (Double.isNaN(many) && !Double.isNaN(python) && !r.notes(d).isEmpty()) {
      rows.add(List.of(goal, target, "not measured: `farm download` takes one id in this build",
          "-"));
      return;
    }
    rows.add(row(goal, target, Stats.fmt(many) + " vs " + Stats.fmt(python) + " files/s",
        many >= python, many, python));
  }

  private double median(String bench, String subject, String metric) {
    return r.stats(bench, subject, metric).median();
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
