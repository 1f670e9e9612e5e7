package dev.farmapi.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.farm.Animal;
import dev.farmapi.farm.Farm;
import dev.farmapi.server.testing.RawHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code farm serve} (with the launcher's server JVM options) under real attack tools,
 * one after the other, each from the same address and with the same API key as the real client
 * that uploads meanwhile: slow headers (slow-loris), slow bodies (R-U-Dead-Yet), slow reads,
 * the range attack and a {@code wrk} flood. A prober asks {@code /healthz} every 100 ms on a new
 * connection throughout. Checked: every upload (before, during and after each attack) has its
 * source's bytes; every probe is answered; uploads under attack stay near their unloaded time,
 * and after the attacks they are as fast as before; the server's peak resident memory stays
 * within 512 MiB; {@code /metrics} counts what was cut and the log says it.
 *
 * <p>CI runs it short (each attack {@value #CI_SECONDS} s with a 5 s body timeout, so that
 * bodies are cut within the attack); docs/RELIABILITY.md has the long command and its figures.
 */
class AttackTest {
  static final int CI_SECONDS = 12;
  private static final long MIB = 1 << 20;

  @TempDir Path dir;

  @Test
  void uploadsAndHealthChecksGoOnWhileSlowClientsAndFloodsOfTheSameAddressAndKeyAttack()
      throws Exception {
    assertThat(AttackTool.available())
        .as("slowhttptest and wrk are installed (bash .ci/run installs them)").isTrue();
    int connections = Knobs.integer("attack.connections", 1000);
    int rate = Knobs.integer("attack.rate", 250);
    int seconds = Knobs.integer("attack.seconds", CI_SECONDS);
    int bodyTimeout = Knobs.integer("attack.bodyTimeoutSeconds", 5);
    int uploads = Knobs.integer("attack.uploads", 3);
    int uploadMiB = Knobs.integer("attack.uploadMiB", 8);
    int settle = Knobs.integer("attack.settleSeconds", 5);
    Tally tally = new Tally("AttackTest");
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("connections", connections);
    parameters.put("attackSeconds", seconds);
    parameters.put("bodyTimeoutSeconds", bodyTimeout);
    parameters.put("uploadsPerPhase", uploads + " x " + uploadMiB + " MiB");
    parameters.put("settleSeconds", settle);

    Path data = Files.createDirectories(dir.resolve("data"));
    try (AttackedServer server = AttackedServer.start(data, dir.resolve("serve.log"),
        List.of("--body-timeout", bodyTimeout + "s"))) {
      String key = Files.readString(data.resolve("admin.key")).trim();
      Farm farm = Farm.connect(server.uri(), key);
      Path picture = dir.resolve("picture.bin");
      Source.file("target", picture, 2 * MIB, 1);
      String target = farm.animals().insert(new Animal("target"), picture).execute().id();
      List<Source> sources = new ArrayList<>();
      List<Path> files = new ArrayList<>();
      for (int i = 0; i < uploads; i++) {
        Path file = dir.resolve("upload-" + i + ".bin");
        sources.add(Source.file("real-" + i, file, uploadMiB * MIB, 100 + i));
        files.add(file);
      }
      String base = server.uri().toString();
      String api = base + "farm/v1/animals?key=" + key;
      String upload = base + "upload/farm/v1/animals?uploadType=media&key=" + key;
      String download = base + "farm/v1/animals/" + target + "?alt=media&key=" + key;

      UploadBatch batch = new UploadBatch(farm, files, sources, tally);
      batch.run("warmup"); // the JIT's first pass is not the baseline
      try (HealthProber prober = new HealthProber(server.uri(), 100)) {
        prober.phase("baseline");
        // The better of two runs, before and after: on a shared machine one run can be unlucky.
        long baseline = Math.min(batch.run("baseline"), batch.run("baseline"));
        long idleRss = server.rssKib();
        Map<String, Long> underAttack = new LinkedHashMap<>();
        for (AttackTool.Kind kind : AttackTool.Kind.values()) {
          prober.phase(kind.name());
          try (AttackTool tool = AttackTool.start(kind, api, upload, download, connections,
              rate, seconds, dir.resolve(kind + ".out"))) {
            Thread.sleep(Math.min(seconds / 3, (connections + rate - 1) / rate) * 1000L);
            underAttack.put(kind.name(), batch.run(kind.name()));
            tool.awaitEnd();
          }
        }
        prober.phase("after");
        Thread.sleep(2000);
        long after = Math.min(batch.run("after"), batch.run("after"));
        Thread.sleep(settle * 1000L); // what the server gives back, it gives back when idle
        long rssAfter = server.rssKib();
        long peak = server.peakRssKib();

        String metrics = RawHttp.request(server.uri(), "GET", "/metrics").send().text();
        String log = server.logText();
        report(tally, prober, baseline, underAttack, after, idleRss, peak, rssAfter, metrics,
            log);

        // What a person uploading must not notice: exact bytes, answers, speed.
        assertThat(tally.get("uploadsVerified")).isEqualTo((5L + underAttack.size()) * uploads);
        for (String phase : phases(underAttack)) {
          HealthProber.Stats stats = prober.stats(phase);
          assertThat(stats.failed()).as("health probes unanswered during %s: %s", phase, stats)
              .isZero();
          assertThat(stats.p99Millis()).as("/healthz p99 during %s: %s", phase, stats)
              .isLessThan(2000); // goal 100 ms; generous for a 2-core machine the tools share
        }
        // Goal 2x; generous for the slow attacks, whose tools share the two cores. The flood is
        // CPU against CPU: wrk takes a core of the two and keeps the other busy serving it, so
        // uploads get what is left (4.5-5.5 s for 24 MiB here, whatever the baseline); what must
        // not happen is what the issue saw, uploads starved for 40 s.
        underAttack.forEach((phase, millis) -> assertThat(millis)
            .as("uploads during %s took %d ms, unloaded %d ms", phase, millis, baseline)
            .isLessThan(phase.equals("FLOOD") ? 15_000 : 4 * baseline + 3000));
        assertThat(after).as("uploads after the attacks (%d ms) vs before (%d ms)", after,
            baseline).isLessThan(2 * baseline + 2000);
        assertThat(peak).as("peak RSS of farm serve, KiB").isLessThanOrEqualTo(512 * 1024);
        // What the operator must see: the counts and the log line.
        assertThat(counter(metrics, "farm_connections_cut_total", "bodyTimeout")
            + counter(metrics, "farm_connections_cut_total", "bodyTooSlow"))
            .as("slow bodies cut").isPositive();
        assertThat(log).containsPattern("WARN +OverloadLog - overload: ");
      }
    }
    tally.write(parameters);
  }

  private static List<String> phases(Map<String, Long> underAttack) {
    List<String> phases = new ArrayList<>(List.of("baseline"));
    phases.addAll(underAttack.keySet());
    phases.add("after");
    return phases;
  }

  private static void report(Tally tally, HealthProber prober, long baseline,
      Map<String, Long> underAttack, long after, long idleRss, long peak, long rssAfter,
      String metrics, String log) {
    tally.set("baselineUploadMillis", baseline);
    for (String phase : phases(underAttack)) {
      HealthProber.Stats s = prober.stats(phase);
      tally.set(phase + "_probes", s.probes());
      tally.set(phase + "_probesFailed", s.failed());
      tally.set(phase + "_healthP99Micros", Math.round(s.p99Millis() * 1000));
      tally.set(phase + "_healthMaxMicros", Math.round(s.maxMillis() * 1000));
      System.out.println("ATTACK " + phase + ": health " + s
          + (underAttack.containsKey(phase) ? ", uploads " + underAttack.get(phase) + " ms" : ""));
    }
    underAttack.forEach((phase, millis) -> tally.set(phase + "_uploadMillis", millis));
    tally.set("afterUploadMillis", after);
    tally.set("idleRssMiB", idleRss / 1024);
    tally.set("peakRssMiB", peak / 1024);
    tally.set("rssAfterMiB", rssAfter / 1024);
    for (String reason : List.of("bodyTimeout", "bodyTooSlow", "responseTooSlow")) {
      tally.set("cut_" + reason, counter(metrics, "farm_connections_cut_total", reason));
    }
    tally.set("refused_overloaded", counter(metrics, "farm_requests_refused_total", "overloaded"));
    tally.set("answered408", count(metrics,
        "farm_errors_total\\{reason=\"requestTimeout\",status=\"408\"} ([0-9.E]+)"));
    tally.set("overloadLogLines", log.lines().filter(l -> l.contains("OverloadLog")).count());
    System.out.println("ATTACK rss: idle " + idleRss / 1024 + " MiB, peak " + peak / 1024
        + " MiB, after " + rssAfter / 1024 + " MiB");
  }

  private static long counter(String metrics, String name, String reason) {
    return count(metrics, name + "\\{reason=\"" + reason + "\"} ([0-9.E]+)");
  }

  private static long count(String metrics, String pattern) {
    Matcher m = Pattern.compile(pattern).matcher(metrics);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }
}
