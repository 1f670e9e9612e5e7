package dev.farmapi.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every measured value of a run, by (benchmark, subject, metric), repetitions in order; the
 * runs that did not count and why; the machine facts. Written raw to {@code results.json}, and
 * read back as the baseline of a later run.
 */
public final class Results {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** A series' name. */
  public record Key(String bench, String subject, String metric) {}

  private final Map<Key, List<Double>> series = new LinkedHashMap<>();
  private final List<String> failures = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final Map<String, String> facts = new LinkedHashMap<>();
  private int verifiedUploads;
  private int verifiedDownloads;

  public synchronized void add(String bench, String subject, String metric, double value) {
    series.computeIfAbsent(new Key(bench, subject, metric), k -> new ArrayList<>()).add(value);
  }

  public synchronized void fail(String bench, String subject, String why) {
    failures.add(bench + " / " + subject + ": " + why);
  }

  /** A finding that is not a failure of the harness, shown in the benchmark's section. */
  public synchronized void note(String bench, String text) {
    notes.add(bench + " / " + text);
  }

  /** The notes of {@code bench}, without its prefix. */
  public List<String> notes(String bench) {
    return notes.stream().filter(n -> n.startsWith(bench + " / "))
        .map(n -> n.substring(bench.length() + 3)).toList();
  }

  public synchronized void verified(int uploads) {
    verifiedUploads += uploads;
  }

  public void fact(String name, String value) {
    facts.put(name, value);
  }

  public Map<String, String> facts() {
    return facts;
  }

  public List<String> failures() {
    return failures;
  }

  public int verifiedUploads() {
    return verifiedUploads;
  }

  /** Files downloaded and found equal to their sources. */
  public synchronized void downloaded(int files) {
    verifiedDownloads += files;
  }

  public int verifiedDownloads() {
    return verifiedDownloads;
  }

  public Stats stats(String bench, String subject, String metric) {
    return Stats.of(series.getOrDefault(new Key(bench, subject, metric), List.of()));
  }

  public Map<Key, List<Double>> series() {
    return series;
  }

  /** The subjects of a benchmark that have a metric, in the order they were first measured. */
  public List<String> subjects(String bench, String metric) {
    List<String> out = new ArrayList<>();
    for (Key k : series.keySet()) {
      if (k.bench().equals(bench) && k.metric().equals(metric) && !out.contains(k.subject())) {
        out.add(k.subject());
      }
    }
    return out;
  }

  public void write(Path file) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.set("facts", JSON.valueToTree(facts));
    root.put("verifiedUploads", verifiedUploads);
    root.put("verifiedDownloads", verifiedDownloads);
    root.set("failures", JSON.valueToTree(failures));
    root.set("notes", JSON.valueToTree(notes));
    ArrayNode all = root.putArray("series");
    for (Map.Entry<Key, List<Double>> e : series.entrySet()) {
      ObjectNode s = all.addObject();
      s.put("bench", e.getKey().bench());
      s.put("subject", e.getKey().subject());
      s.put("metric", e.getKey().metric());
      ArrayNode values = s.putArray("values");
      e.getValue().forEach(values::add);
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    JSON.writeValue(file.toFile(), root);
  }

  /**
   * This run's results with those of the benchmarks it did not run ({@code ran} are the ones it
   * did) carried over from {@code earlier}: a run of some benchmarks keeps the rest of the report.
   * A fact names the run the carried figures come from; the verified counts add up both runs'.
   */
  public static Results keepingOthers(Results earlier, Results now, List<String> ran) {
    Results r = new Results();
    now.facts.forEach(r::fact);
    List<String> kept = new ArrayList<>();
    earlier.series.forEach((k, values) -> {
      if (!ranBy(k.bench(), ran)) {
        r.series.put(k, new ArrayList<>(values));
        if (!kept.contains(k.bench())) {
          kept.add(k.bench());
        }
      }
    });
    r.series.putAll(now.series);
    for (List<String> texts : List.of(earlier.failures, earlier.notes)) {
      for (String t : texts) {
        if (!ranBy(t.substring(0, Math.max(0, t.indexOf(" / "))), ran)) {
          (texts == earlier.failures ? r.failures : r.notes).add(t);
        }
      }
    }
    r.failures.addAll(now.failures);
    r.notes.addAll(now.notes);
    r.verifiedUploads = earlier.verifiedUploads + now.verifiedUploads;
    r.verifiedDownloads = earlier.verifiedDownloads + now.verifiedDownloads;
    if (!kept.isEmpty()) {
      r.fact("earlier results kept", String.join(", ", kept) + ": from `"
          + earlier.facts.getOrDefault("command", "?") + "` on "
          + earlier.facts.getOrDefault("date (UTC)", "?") + " (commit "
          + earlier.facts.getOrDefault("farmapi commit", "?") + ", "
          + earlier.verifiedUploads + " uploads verified then)");
    }
    return r;
  }

  /** Whether a series of {@code bench} (or of its part, {@code bench-...}) is one of {@code ran}. */
  private static boolean ranBy(String bench, List<String> ran) {
    return ran.stream().anyMatch(b -> bench.equals(b) || bench.startsWith(b + "-"));
  }

  public static Results read(Path file) throws IOException {
    JsonNode root = JSON.readTree(file.toFile());
    Results r = new Results();
    root.path("facts").fields().forEachRemaining(f -> r.fact(f.getKey(), f.getValue().asText()));
    root.path("failures").forEach(f -> r.failures.add(f.asText()));
    root.path("notes").forEach(n -> r.notes.add(n.asText()));
    r.verifiedUploads = root.path("verifiedUploads").asInt();
    r.verifiedDownloads = root.path("verifiedDownloads").asInt();
    for (JsonNode s : root.path("series")) {
      for (JsonNode v : s.path("values")) {
        r.add(s.path("bench").asText(), s.path("subject").asText(), s.path("metric").asText(),
            v.asDouble());
      }
    }
    return r;
  }
}
