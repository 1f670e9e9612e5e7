package dev.farmapi.bench.report;

import static dev.farmapi.bench.report.Markdown.ratio;

import dev.farmapi.bench.Sizes;
import dev.farmapi.bench.suite.DurableBench;
import dev.farmapi.bench.suite.EfficiencyBench;
import dev.farmapi.bench.suite.LoadBench;
import dev.farmapi.bench.suite.MemoryBench;
import dev.farmapi.bench.suite.OneUploadBench;
import dev.farmapi.bench.suite.WanBench;
import dev.farmapi.bench.suite.SmallFilesBench;
import dev.farmapi.bench.suite.SweepBench;
import dev.farmapi.bench.run.Who;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code BENCHMARKS.md} and its charts from a run's {@link Results} (and, optionally, a
 * baseline run's, for the before/after section). Every section is written even when its
 * benchmark was not run, saying so, so that the report's shape never changes.
 */
public final class ReportWriter {
  static final String DD = "dd /dev/zero (limit)";
  static final String DD_SOURCE = "dd source file";
  private final Results r;
  private final Results baseline;
  private final Sizes sizes;
  private final String command;
  private final Markdown md = new Markdown();
  private final Goals goals;

  public ReportWriter(Results r, Results baseline, Sizes sizes, String command) {
    this.r = r;
    this.baseline = baseline;
    this.sizes = sizes;
    this.command = command;
    this.goals = new Goals(r, sizes);
  }

  /** Writes the report to {@code report} and the charts into {@code chartDir}. */
  public void write(Path report, Path chartDir) throws IOException {
    String charts = report.toAbsolutePath().getParent().relativize(chartDir.toAbsolutePath())
        .toString();
    md.heading(1, "Benchmarks");
    md.para("Made by `" + r.facts().getOrDefault("command", command) + "` on " + r.facts().get("date (UTC)") + ". Each figure is "
        + "the median of " + sizes.reps() + " repetition(s), with the spread (min-max) in "
        + "brackets when there was more than one. Raw values: `" + charts + "/results.json`.");
    String mode = r.facts().getOrDefault("mode", "full");
    if (!mode.startsWith("full")) {
      md.para("**A " + mode + " run: small sizes, for developing the harness; judge the goals "
          + "on a full run (`bench/run`) on a quiet machine.** Load average at start: "
          + r.facts().getOrDefault("load average at start", "?") + ".");
    }
    method();
    machine();
    md.heading(2, "Goals");
    md.table(List.of("goal", "target", "measured", "met"), goals.rows());
    durable(chartDir, charts);
    efficiency(chartDir, charts);
    memory(chartDir, charts);
    load();
    small();
    sweep(chartDir, charts);
    one();
    wan();
    new DownloadsReport(r, sizes, md).write();
    beforeAfter();
    notCounted();
    Files.createDirectories(report.toAbsolutePath().getParent());
    Files.writeString(report, md.toString());
  }

  private void method() {
    md.heading(2, "Method");
    md.bullet("Every client run is its own process under `/usr/bin/time` (wall, user+sys CPU, "
        + "peak RSS). The server is `farm serve` (default JVM flags) in its own process; its CPU "
        + "and peak RSS (VmHWM) come from `/proc/PID`. Data on the root disk where the benchmark "
        + "is about durability (the server fsyncs each chunk and each commit), on tmpfs "
        + "(`/dev/shm`) where only the client counts.");
    md.bullet("Sources are random (incompressible) files, made once and cached. Every upload "
        + "is verified: the MD5 and size the server reports for the stored media must equal the "
        + "source's; a run that does not verify does not count (see the last section).");
    md.bullet("Throughput is bytes / seconds measured inside the client, from just before the "
        + "first request of the upload to the last response (JVM and Python start-up and the "
        + "Python client's discovery fetch are not in it; curl: its process wall time, start-up "
        + "included). CPU and RSS are the whole client process's, start-up included.");
    md.bullet("Ours: `Farm.connect(root, key).animals().insert(animal, media).execute()` with "
        + "`MediaFileUpload...withChunkSize(c).resumable()` (or `MediaStreamUpload.of(stdin)` "
        + "for the stream) and the library's defaults (its own HTTP/1.1 engine), started as the "
        + "`farm` launcher starts a client command: the JVM options of "
        + "`farm-cli/src/main/launcher/client.jvmopts`, farm.jar first on the class path and "
        + "its class-data-sharing archive (" + r.facts().getOrDefault("ours started with", "?")
        + "). Row 8 runs `./farm upload` itself.");
    md.bullet("Java peer: google-api-java-client `MediaHttpUploader` over `NetHttpTransport`, "
        + "`FileContent` (or `InputStreamContent` of stdin, length -1), configured for speed as "
        + "a user would: `setDisableGZipContent(true)` (it gzips by default, which only costs "
        + "CPU on random or already compressed media), `setChunkSize(c)`, a Bearer key.");
    md.bullet("Python peer: google-api-python-client (`MediaFileUpload(resumable=True, "
        + "chunksize=c)` and the guide's `next_chunk()` loop; small files: `resumable=False` "
        + "with a body, i.e. multipart), its defaults otherwise (httplib2 keeps the connection).");
    md.bullet("curl: big files: one POST to open a resumable session, then ONE `PUT -T file` "
        + "of the whole file (no chunks); small files: multipart/related bodies built before the "
        + "clock starts, all POSTed by ONE curl invocation (`-K` config, `next` between "
        + "requests): one connection, sequential requests, no `--parallel`.");
    md.bullet("The repetitions interleave the subjects (rep 1: all of them, rep 2: ...). Before "
        + "the measured runs one upload of ours warms the server up (not counted).");
    md.bullet("Sizes: durable/efficiency " + Sizes.human(sizes.durable()) + " in "
        + Sizes.human(sizes.chunk()) + " chunks; memory " + Sizes.human(sizes.memoryFile())
        + " (file in " + Sizes.human(sizes.memoryFileChunk()) + " chunks, stream in "
        + Sizes.human(sizes.memoryStreamChunk()) + " chunks); load " + sizes.loadUploads()
        + " x " + Sizes.human(sizes.loadSize()) + "; small " + sizes.smallCount() + " x "
        + Sizes.human(sizes.smallSize()) + "; sweep " + Sizes.human(sizes.sweepSize())
        + "; downloads " + Sizes.human(sizes.durable()) + " and " + sizes.smallCount() + " x "
        + Sizes.human(sizes.smallSize()) + ".");
    md.end();
  }

  private void machine() {
    md.heading(2, "Machine");
    List<List<String>> rows = new ArrayList<>();
    r.facts().forEach((k, v) -> rows.add(List.of(k, v.replace("|", "/"))));
    md.table(List.of("fact", "value"), rows);
  }

  private void durable(Path chartDir, String charts) throws IOException {
    String b = DurableBench.ID;
    md.heading(2, "2. Durable throughput");
    md.para("One resumable upload of " + Sizes.human(sizes.durable()) + " in "
        + Sizes.human(sizes.chunk()) + " chunks, server data on the root disk; the limit is "
        + "`dd if=/dev/zero bs=8M conv=fsync` of the same bytes onto the same disk. Goal: ours "
        + "<= 1.25x dd.");
    double dd = r.stats(b, DD, "seconds").median();
    List<List<String>> rows = new ArrayList<>();
    for (String s : subjects(b, "seconds", DD, DD_SOURCE)) {
      Stats sec = r.stats(b, s, "seconds");
      rows.add(List.of(s, sec.text(), r.stats(b, s, "MiB/s").text(), ratio(sec.median(), dd),
          r.stats(b, s, "process seconds").text()));
    }
    md.table(List.of("subject", "seconds", "MiB/s", "time vs dd", "process wall s"), rows);
    if (Charts.bars(r, b, "MiB/s", "Durable upload throughput (median)", "MiB/s",
        chartDir.resolve("durable.png"))) {
      md.image("durable throughput", charts + "/durable.png");
    }
  }

  private void efficiency(Path chartDir, String charts) throws IOException {
    String b = EfficiencyBench.ID;
    md.heading(2, "3. Client efficiency");
    md.para("The same upload to a server on tmpfs; the client process's CPU (user+sys) per "
        + "GiB, JVM start-up included. Goals: ours <= 1.25x curl and below Python. Two more "
        + "rows compare engines in the same run, both with the launcher's JVM options: ours "
        + "over the JDK's HttpClient (`-Dfarmapi.engine=jdk`), and a bench-only Netty client "
        + "that sends each chunk as a `DefaultFileRegion` (sendfile) and computes the CRC32C "
        + "as ours does (`bench/.../client/NettyClient.java`).");
    double curl = r.stats(b, Who.CURL.label(), "cpu s/GiB").median();
    List<List<String>> rows = new ArrayList<>();
    for (String s : subjects(b, "cpu s/GiB")) {
      Stats cpu = r.stats(b, s, "cpu s/GiB");
      rows.add(List.of(s, cpu.text(), ratio(cpu.median(), curl), r.stats(b, s, "user s").text(),
          r.stats(b, s, "sys s").text(), r.stats(b, s, "start-up cpu s").text(),
          r.stats(b, s, "net cpu s/GiB").text(), r.stats(b, s, "MiB/s").text(),
          r.stats(b, s, "peak RSS MiB").text()));
    }
    md.table(List.of("subject", "CPU s/GiB", "vs curl", "user s", "sys s", "start-up CPU s",
        "net CPU s/GiB", "MiB/s", "peak RSS MiB"), rows);
    md.para("Start-up CPU: the same client in a process that only starts and makes one small "
        + "GET; net CPU s/GiB = (upload process CPU - start-up CPU) / GiB, i.e. the cost that "
        + "grows with the bytes.");
    if (Charts.bars(r, b, "cpu s/GiB", "Client CPU per GiB (median, lower is better)",
        "CPU seconds / GiB", chartDir.resolve("cpu.png"))) {
      md.image("client CPU per GiB", charts + "/cpu.png");
    }
  }

  private void memory(Path chartDir, String charts) throws IOException {
    String b = MemoryBench.ID;
    md.heading(2, "4. Memory");
    md.para("Client peak RSS uploading " + Sizes.human(sizes.memoryFile()) + ": a file in "
        + Sizes.human(sizes.memoryFileChunk()) + " chunks, and the same bytes as a non-seekable "
        + "stream of unknown size (stdin) in " + Sizes.human(sizes.memoryStreamChunk())
        + " chunks. Goal: ours <= 64 MiB for both with the launcher's defaults (nothing added "
        + "by hand). The Java peer with `-Xmx64m` and with default flags. The Python "
        + "peer has no stream case here (its MediaIoBaseUpload needs a seekable stream).");
    List<List<String>> rows = new ArrayList<>();
    for (String s : subjects(b, "peak RSS MiB")) {
      rows.add(List.of(s, r.stats(b, s, "peak RSS MiB").text(), r.stats(b, s, "MiB/s").text()));
    }
    md.table(List.of("case", "peak RSS MiB", "MiB/s"), rows);
    r.notes(b).forEach(n -> md.bullet(n.replace("|", "/")));
    md.end();
    if (Charts.bars(r, b, "peak RSS MiB", "Client peak RSS (median)", "MiB",
        chartDir.resolve("memory.png"))) {
      md.image("client peak RSS", charts + "/memory.png");
    }
  }

  private void load() {
    String b = LoadBench.ID;
    String s = LoadBench.SUBJECT;
    md.heading(2, "5. Server under load");
    md.para(sizes.loadUploads() + " concurrent resumable uploads of "
        + Sizes.human(sizes.loadSize()) + " (" + Sizes.human(sizes.chunk()) + " chunks) from "
        + "one client process of ours (one thread each), a fresh server per repetition, data on "
        + "the root disk. Goals: aggregate >= 0.8x dd of the same total bytes, server peak RSS "
        + "<= 512 MiB, no errors.");
    Stats agg = r.stats(b, s, "MiB/s");
    Stats dd = r.stats(b, DD, "MiB/s");
    md.table(List.of("measure", "value"), List.of(
        List.of("aggregate MiB/s", agg.text()),
        List.of("dd MiB/s (limit)", dd.text()),
        List.of("aggregate vs dd", ratio(agg.median(), dd.median())),
        List.of("server peak RSS MiB", r.stats(b, s, "server peak RSS MiB").text()),
        List.of("server CPU s/GiB", r.stats(b, s, "server cpu s/GiB").text()),
        List.of("client CPU s/GiB", r.stats(b, s, "client cpu s/GiB").text()),
        List.of("uploads verified per run", r.stats(b, s, "uploads verified").text()),
        List.of("runs that did not count", Long.toString(countFailures(b)))));
  }

  private void small() {
    String b = SmallFilesBench.ID;
    md.heading(2, "6. Many small files");
    md.para(sizes.smallCount() + " multipart inserts of " + Sizes.human(sizes.smallSize())
        + " each, sequential, one kept connection per client, server data on the root disk.");
    double ours = r.stats(b, Who.OURS.label(), "uploads/s").median();
    List<List<String>> rows = new ArrayList<>();
    for (String s : subjects(b, "uploads/s")) {
      Stats u = r.stats(b, s, "uploads/s");
      rows.add(List.of(s, u.text(), ratio(u.median(), ours),
          r.stats(b, s, "cpu ms/upload").text()));
    }
    md.table(List.of("subject", "uploads/s", "vs ours", "client CPU ms/upload"), rows);
  }

  private void sweep(Path chartDir, String charts) throws IOException {
    String b = SweepBench.ID;
    md.heading(2, "7. Chunk-size sweep");
    md.para("One " + Sizes.human(sizes.sweepSize()) + " file, resumable, at each chunk size; "
        + "server on tmpfs (the per-chunk cost of client and protocol, not the disk's).");
    List<String> metrics = new ArrayList<>();
    double[] x = new double[sizes.sweepChunks().size()];
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      long chunk = sizes.sweepChunks().get(i);
      String m = SweepBench.metric(chunk);
      metrics.add(m);
      x[i] = chunk / 1048576.0;
      Stats ours = r.stats(b, Who.OURS.label(), m);
      Stats java = r.stats(b, Who.JAVA.label(), m);
      rows.add(List.of(Sizes.human(chunk), ours.text(), java.text(),
          ratio(ours.median(), java.median())));
    }
    md.table(List.of("chunk", "ours MiB/s", "Java peer MiB/s", "ours vs Java peer"), rows);
    List<String> who = List.of(Who.OURS.label(), Who.JAVA.label());
    if (Charts.lines(r, b, who, metrics, x, "Throughput by chunk size (median)",
        "chunk size (MiB, log)", "MiB/s", chartDir.resolve("sweep.png"))) {
      md.image("chunk-size sweep", charts + "/sweep.png");
    }
  }

  private void one() {
    String b = OneUploadBench.ID;
    md.heading(2, "8. One small upload, start to finish");
    md.para("The wall time of a whole process that uploads " + OneUploadBench.SIZE
        + " bytes resumably and exits, server on tmpfs: ours is `./farm upload FILE` (the "
        + "launcher as shipped), the Python peer its script (discovery fetch, initiation, one "
        + "chunk), curl its two processes (initiate, PUT). Goal: ours <= 2x Python's wall.");
    double python = r.stats(b, Who.PYTHON.label(), "wall s").median();
    List<List<String>> rows = new ArrayList<>();
    for (String s : subjects(b, "wall s")) {
      Stats wall = r.stats(b, s, "wall s");
      rows.add(List.of(s, wall.text(), ratio(wall.median(), python),
          r.stats(b, s, "cpu s").text(), r.stats(b, s, "peak RSS MiB").text()));
    }
    md.table(List.of("subject", "wall s", "vs Python", "CPU s", "peak RSS MiB"), rows);
  }

  private void wan() {
    String b = WanBench.ID;
    md.heading(2, "9. Over a wide-area link");
    md.para("A resumable upload in " + Sizes.human(sizes.chunk()) + " chunks through a TCP "
        + "proxy that delays every byte " + WanBench.RTT_MILLIS / 2 + " ms each way ("
        + WanBench.RTT_MILLIS + " ms round trip; no loss: the kernel here has no netem, and "
        + "loopback TCP would hide a drop), server on tmpfs. curl sends the file in one PUT.");
    double curl = r.stats(b, Who.CURL.label(), "seconds").median();
    List<List<String>> rows = new ArrayList<>();
    for (String s : subjects(b, "seconds")) {
      Stats sec = r.stats(b, s, "seconds");
      rows.add(List.of(s, sec.text(), r.stats(b, s, "MiB/s").text(), ratio(sec.median(), curl),
          r.stats(b, s, "cpu s").text()));
    }
    md.table(List.of("subject", "seconds", "MiB/s", "time vs curl", "client CPU s"), rows);
  }

  private void beforeAfter() {
    md.heading(2, "Before / after");
    md.para("Each optimization kept so far, with its profile and interleaved before/after "
        + "measurements of the two builds on the same machine, is in "
        + "[bench/OPTIMIZATIONS.md](../bench/OPTIMIZATIONS.md).");
    if (baseline == null) {
      md.para("No baseline given. To compare a change: keep this run's `results.json`, then "
          + "`bench/run --baseline OLD.json` writes here the medians of both runs side by side.");
      return;
    }
    md.para("Baseline: " + baseline.facts().getOrDefault("farmapi commit", "?") + ", run on "
        + baseline.facts().getOrDefault("date (UTC)", "?") + ". Medians.");
    List<List<String>> rows = new ArrayList<>();
    for (Results.Key k : r.series().keySet()) {
      Stats now = r.stats(k.bench(), k.subject(), k.metric());
      Stats before = baseline.stats(k.bench(), k.subject(), k.metric());
      rows.add(List.of(k.bench(), k.subject(), k.metric(), Stats.fmt(before.median()),
          Stats.fmt(now.median()), ratio(now.median(), before.median())));
    }
    md.table(List.of("benchmark", "subject", "metric", "before", "after", "after/before"), rows);
  }

  private void notCounted() {
    md.heading(2, "Runs that did not count");
    if (r.failures().isEmpty()) {
      md.para("None: every upload verified (" + r.verifiedUploads() + " uploads, warm-ups "
          + "included)" + (r.verifiedDownloads() == 0 ? "" : "; every download too ("
          + r.verifiedDownloads() + " files)") + ".");
      return;
    }
    md.para(r.failures().size() + " run(s) did not count; " + r.verifiedUploads()
        + " uploads verified.");
    r.failures().forEach(f -> md.bullet(f.replace("|", "/").replace("\n", " ")));
    md.end();
  }

  private long countFailures(String bench) {
    return r.failures().stream().filter(f -> f.startsWith(bench + " / ")).count();
  }

  /** The subjects with {@code metric}, the given ones first. */
  private List<String> subjects(String bench, String metric, String... first) {
    List<String> out = new ArrayList<>();
    for (String f : first) {
      if (r.stats(bench, f, metric).present()) {
        out.add(f);
      }
    }
    for (String s : r.subjects(bench, metric)) {
      if (!out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }
}
