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

  public static Results read(Path file) throws IOException {
    JsonNode root = JSON.readTree(file.toFile());
    Results r = new Results();
    root.path("facts").fields().forEachRemaining(f -> r.fact(f.getKey(), f.getValue().asText()));
    root.path("failures").forEach(f -> r.failures.add(f.asText()));
    root.path("notes").forEach(n -> r.notes.add(n.asText()));
    r.verifiedUploads = root.path("verifiedUploads").asInt();
    for (JsonNode s : root.path("series")) {
      for (JsonNode v : s.path("values")) {
        r.add(s.path("bench").asText(), s.path("subject").asText(), s.path("metric").asText(),
            v.asDouble());
      }
    }
    return r;
  }
}
