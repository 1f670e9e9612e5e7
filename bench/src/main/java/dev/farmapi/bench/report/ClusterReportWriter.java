package dev.farmapi.bench.report;

import static dev.farmapi.bench.report.Markdown.ratio;

import dev.farmapi.bench.ClusterSizes;
import dev.farmapi.bench.Sizes;
import dev.farmapi.bench.run.LocalCluster;
import dev.farmapi.bench.suite.ClusterBench;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code CLUSTER-BENCHMARKS.md} from a cluster run's {@link Results}: what the shared
 * stores cost against the local store, and what limits each figure on this machine. Every
 * section is written even when its benchmark was not run, so that the report's shape never
 * changes.
 */
public final class ClusterReportWriter {
  /** The local server's part, as the suite names it. */
  static final String FARM_SERVE = "farm serve";
  private final Results r;
  private final ClusterSizes sizes;
  private final Markdown md = new Markdown();

  public ClusterReportWriter(Results r, ClusterSizes sizes) {
    this.r = r;
    this.sizes = sizes;
  }

  /** Writes the report to {@code report}. */
  public void write(Path report) throws IOException {
    md.heading(1, "Cluster benchmarks");
    md.para("Made by `" + r.facts().getOrDefault("command", "bench/cluster-run") + "` on "
        + r.facts().get("date (UTC)") + ". Each figure is the median of " + sizes.reps()
        + " repetition(s), with the spread (min-max) in brackets when there was more than one. "
        + "Raw values: `bench/cluster-results.json`. The single-server benchmarks are in "
        + "[BENCHMARKS.md](BENCHMARKS.md); how to run a cluster is in [DEPLOY.md](DEPLOY.md).");
    String mode = r.facts().getOrDefault("mode", "full");
    if (!mode.startsWith("full")) {
      md.para("**A " + mode + " run: small sizes, for developing the harness; the figures mean "
          + "little.**");
    }
    md.para("**On this machine a cluster shows overhead, not speed-up.** It has "
        + cores() + " cores and one disk for everything at "
        + "once: our client, nginx, every `farm serve` node, S3Proxy and PostgreSQL. A node on "
        + "the shared stores does more work per byte than the local store (it spools each chunk "
        + "to a temporary file, copies it into an 8 MiB part, sends the part to S3 over HTTP "
        + "and commits the offset in PostgreSQL), S3Proxy then does the S3 side in a JVM of its "
        + "own and writes the bytes to its folder (its filesystem backend rewrites the parts "
        + "into one file at completion, and fsyncs nothing), and more nodes on the same cores "
        + "are more processes sharing the same CPU, not more CPU. So these figures are the price of the shared "
        + "stores per GiB, not a measure of how a cluster scales: that needs nodes on machines "
        + "of their own and a real S3.");
    summary();
    method();
    md.heading(2, "Machine");
    List<List<String>> facts = new ArrayList<>();
    r.facts().forEach((k, v) -> facts.add(List.of(k, v.replace("|", "/"))));
    md.table(List.of("fact", "value"), facts);
    load();
    store();
    chunks();
    ReportWriter.notCounted(md, r);
    Files.createDirectories(report.toAbsolutePath().getParent());
    Files.writeString(report, md.toString());
  }

  private void summary() {
    String l = ClusterBench.LOAD;
    String s = ClusterBench.STORE;
    String c = ClusterBench.CHUNKS;
    List<String> load = r.subjects(l, "MiB/s");
    if (load.size() == 3) {
      md.bullet(sizes.loadUploads() + " concurrent uploads: " + join(l, load, "MiB/s",
          " MiB/s") + " (3 nodes vs 1: " + ratio(med(l, load.get(2), "MiB/s"),
          med(l, load.get(1), "MiB/s")) + "); all server-side CPU per GiB " + join(l, load,
          "server cpu s/GiB", " s") + ".");
    }
    List<String> store = r.subjects(s, "seconds");
    if (store.size() == 2) {
      md.bullet("One " + Sizes.human(sizes.storeSize()) + " upload: " + join(s, store,
          "seconds", " s") + "; all server-side CPU per GiB " + join(s, store,
          "server cpu s/GiB", " s") + " (shared vs local: " + ratio(med(s, store.get(1),
          "server cpu s/GiB"), med(s, store.get(0), "server cpu s/GiB")) + ").");
    }
    List<String> chunks = r.subjects(c, "MiB/s");
    if (chunks.size() == 2) {
      md.bullet(Sizes.human(sizes.smallChunk()) + " chunks: " + join(c, chunks, "MiB/s",
          " MiB/s") + " (shared vs local: " + ratio(med(c, chunks.get(1), "MiB/s"),
          med(c, chunks.get(0), "MiB/s")) + "); all server-side CPU per GiB " + join(c, chunks,
          "server cpu s/GiB", " s") + ".");
    }
    List<Double> other = new ArrayList<>();
    r.series().forEach((k, v) -> {
      if (k.metric().equals("other cpu %")) {
        other.addAll(v);
      }
    });
    Stats o = Stats.of(other);
    if (o.present()) {
      md.bullet("Other processes (other sessions' builds and tests on this shared machine) took "
          + Stats.fmt(o.min()) + "-" + Stats.fmt(o.max()) + " % of the cores during the "
          + "measured runs (median " + Stats.fmt(o.median()) + " %). The throughputs move with "
          + "that; the CPU seconds per GiB much less: judge the costs by the CPU columns, and the "
          + "speeds by the CPU ceiling column, what the same processes could reach with every "
          + "core to themselves.");
    }
    md.end();
  }

  private String join(String bench, List<String> subjects, String metric, String unit) {
    List<String> parts = new ArrayList<>();
    for (String s : subjects) {
      parts.add(s + " " + Stats.fmt(med(bench, s, metric)) + unit);
    }
    return String.join(", ", parts);
  }

  private double med(String bench, String subject, String metric) {
    return r.stats(bench, subject, metric).median();
  }

  private void method() {
    md.heading(2, "Method");
    md.bullet("Our client only, as the `farm` launcher starts a client command (its JVM "
        + "options and class-data-sharing archive: " + r.facts().getOrDefault(
            "client started with", "?") + "): `Farm.connect(root, key).animals().insert(animal, "
        + "media).execute()` with `MediaFileUpload...withChunkSize(c).resumable()`; the "
        + "concurrent uploads are threads of one client process. Each client run is its own "
        + "process under `/usr/bin/time` (its CPU, start-up included).");
    md.bullet("Every upload is verified: the MD5 and size the server reports for the stored "
        + "media (through the balancer: whichever node took the last chunk) must equal the "
        + "source's; a run that does not verify does not count. Sources are random files.");
    md.bullet("The local store: `farm serve --data DIR` (SQLite and a blob folder) on the root "
        + "disk, no balancer. The shared stores: `deploy/local-cluster up --nodes N` "
        + "(PostgreSQL, S3Proxy with its filesystem backend, N nodes, nginx round-robin without "
        + "stickiness), all on the same root disk (the nodes' spool files in /tmp, there too); "
        + "1 and 3 nodes. Every server, local or node, runs with the same JVM options ("
        + r.facts().getOrDefault("servers started with", "?") + "). Before the measured runs, "
        + "uploads that do not count warm every server up (the whole concurrent load once; "
        + "one upload before section 2).");
    md.bullet("Server-side CPU is read from `/proc` before and after each run, per part: the "
        + "Farm server(s), S3Proxy, PostgreSQL (the postmaster and its backends), nginx (master "
        + "and worker). A part's figure is its process tree's user+system CPU, children that "
        + "ended during the run included. Peak RSS is VmHWM since the process started.");
    md.bullet("CPU ceiling = cores / (all server-side + client CPU seconds per MiB): the "
        + "throughput these processes could reach if they had every core to themselves and "
        + "nothing else (disk, round trips) held them back.");
    md.bullet("Other processes' share: what the whole machine was busy (`/proc/stat`, all "
        + "cores) minus the client, the server-side parts and the harness, as a share of all "
        + "the cores' time while the client ran: other sessions' work on this shared machine, "
        + "and the kernel's own threads. It says how much each run was disturbed; load "
        + "averages are in the machine table.");
    md.bullet("Throughput is bytes / seconds measured inside the client, from just before the "
        + "first request to the last response. Repetitions interleave the subjects.");
    md.end();
  }

  private void load() {
    String b = ClusterBench.LOAD;
    md.heading(2, "1. " + sizes.loadUploads() + " concurrent uploads");
    md.para(sizes.loadUploads() + " concurrent resumable uploads of "
        + Sizes.human(sizes.loadSize()) + " in " + Sizes.human(sizes.chunk()) + " chunks ("
        + Sizes.human(sizes.loadUploads() * sizes.loadSize()) + " in all) from one process of "
        + "ours: to the local store directly, and through nginx to a cluster of 1 and of 3 "
        + "nodes. CPU in seconds per GiB uploaded.");
    List<String> subjects = r.subjects(b, "MiB/s");
    double local = subjects.isEmpty() ? Double.NaN : med(b, subjects.get(0), "MiB/s");
    List<List<String>> rows = new ArrayList<>();
    for (String s : subjects) {
      rows.add(List.of(s, cell(b, s, "MiB/s"), ratio(med(b, s, "MiB/s"), local),
          serverCpu(b, s), cell(b, s, LocalCluster.S3PROXY + " cpu s/GiB"),
          cell(b, s, LocalCluster.POSTGRES + " cpu s/GiB"),
          cell(b, s, LocalCluster.NGINX + " cpu s/GiB"), cell(b, s, "server cpu s/GiB"),
          cell(b, s, "client cpu s/GiB"), ceiling(b, s), cell(b, s, "server peak RSS MiB"),
          cell(b, s, "S3Proxy peak RSS MiB"), cell(b, s, "other cpu %"),
          cell(b, s, "uploads verified")));
    }
    md.table(List.of("subject", "aggregate MiB/s", "vs local", "Farm server(s) CPU",
        "S3Proxy CPU", "PostgreSQL CPU", "nginx CPU", "all server-side CPU", "client CPU",
        "CPU ceiling MiB/s", "Farm server peak RSS MiB (largest)", "S3Proxy peak RSS MiB",
        "other processes' share %", "uploads verified"), rows);
    md.para("What limits it: the cores. Everything runs on the same " + cores() + " cores, so "
        + "the most these processes could move is the CPU ceiling, and the aggregate falls "
        + "below it by what other processes took meanwhile. A 3-node cluster adds no core, only "
        + "two more JVMs. It also does work that 1 node never does: round-robin sends the last "
        + "chunk of an upload to a node that mostly did not take the ones before, and that node "
        + "reads the whole object back from S3 to hash it (the running MD5 is on another node; "
        + "see DEPLOY.md, sizing). On machines of their own, each node would bring its own "
        + "cores. The local store needs neither S3Proxy nor PostgreSQL; its limit is the disk "
        + "(BENCHMARKS.md, server under load).");
  }

  private void store() {
    String b = ClusterBench.STORE;
    md.heading(2, "2. The local store against the shared stores, per GiB");
    md.para("One resumable upload of " + Sizes.human(sizes.storeSize()) + " in "
        + Sizes.human(sizes.chunk()) + " chunks: to the local store, and to the node of a "
        + "1-node cluster directly (no balancer), so that the difference is the stores'.");
    perUpload(b);
    md.para("What limits it: on the local store, the disk (each chunk is written and fsynced "
        + "before its 308) behind one connection. On the shared stores, CPU: compare the node's "
        + "and S3Proxy's columns with the local server's. The node copies every byte three "
        + "times (request body to a spool file, spool into a part file, part file to S3 over "
        + "HTTP), and S3Proxy parses that HTTP and writes the bytes to its folder. No fsync in "
        + "S3Proxy: its filesystem backend answers once the bytes are in the page cache, where "
        + "a real S3 answers when they are durable, over a network, with its CPU elsewhere.");
  }

  private void chunks() {
    String b = ClusterBench.CHUNKS;
    md.heading(2, "3. Small chunks on S3 (the staging path)");
    md.para("One resumable upload of " + Sizes.human(sizes.smallChunkSize()) + " in "
        + Sizes.human(sizes.smallChunk()) + " chunks to the same two targets. S3 takes no "
        + "part under 5 MiB (all parts of a blob are 8 MiB here), so on the shared stores each "
        + "chunk is staged as an S3 object of its own, and every 8 MiB the node reads the staged "
        + "objects back, sends them as one part and deletes them at the end.");
    perUpload(b);
    md.para("What limits it: requests per chunk, not bytes. Each chunk is a request from the "
        + "client; on the shared stores it is also an S3 PUT, a PostgreSQL lock and commit, and "
        + "every 8 MiB a read-back of the 31 staged objects before it. Chunks in multiples "
        + "of 8 MiB (the part size) skip the staging (section 2): use them against a cluster.");
  }

  // The table of one upload per run (sections 2 and 3).
  private void perUpload(String b) {
    List<List<String>> rows = new ArrayList<>();
    for (String s : r.subjects(b, "seconds")) {
      double chunks = b.equals(ClusterBench.CHUNKS)
          ? sizes.smallChunkSize() / (double) sizes.smallChunk()
          : sizes.storeSize() / (double) sizes.chunk();
      rows.add(List.of(s, cell(b, s, "seconds"), cell(b, s, "MiB/s"),
          Stats.fmt(med(b, s, "seconds") * 1000 / chunks), serverCpu(b, s),
          cell(b, s, LocalCluster.S3PROXY + " cpu s/GiB"),
          cell(b, s, LocalCluster.POSTGRES + " cpu s/GiB"), cell(b, s, "server cpu s/GiB"),
          cell(b, s, "client cpu s/GiB"), ceiling(b, s), cell(b, s, "other cpu %")));
    }
    md.table(List.of("subject", "seconds", "MiB/s", "ms per chunk", "Farm server CPU s/GiB",
        "S3Proxy CPU s/GiB", "PostgreSQL CPU s/GiB", "all server-side CPU s/GiB",
        "client CPU s/GiB", "CPU ceiling MiB/s", "other processes' share %"), rows);
  }

  // The local server's or the nodes' CPU, whichever the subject has.
  private String serverCpu(String b, String s) {
    Stats local = r.stats(b, s, FARM_SERVE + " cpu s/GiB");
    return local.present() ? local.text() : cell(b, s, LocalCluster.NODES + " cpu s/GiB");
  }

  // cores / CPU seconds per MiB of everything measured, from the medians.
  private String ceiling(String b, String s) {
    double cpuPerGiB = med(b, s, "server cpu s/GiB") + med(b, s, "client cpu s/GiB");
    double cores = Double.parseDouble(cores());
    return Stats.fmt(cores * 1024 / cpuPerGiB);
  }

  private String cores() {
    return r.facts().getOrDefault("cores (nproc)", "NaN");
  }

  private String cell(String b, String s, String metric) {
    return r.stats(b, s, metric).text();
  }
}
