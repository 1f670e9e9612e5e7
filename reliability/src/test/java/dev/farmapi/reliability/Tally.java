package dev.farmapi.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The counts of one reliability test, safe to bump from many threads, written at the end as
 * {@code target/reliability/<test>.json} and one summary line on stdout, for the table of
 * docs/RELIABILITY.md. Counters appear in the order they were first touched.
 */
final class Tally {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String test;
  private final long started = System.nanoTime();
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final Map<String, Object> order = java.util.Collections.synchronizedMap(new LinkedHashMap<>());

  Tally(String test) {
    this.test = test;
  }

  AtomicLong counter(String name) {
    return counts.computeIfAbsent(name, n -> {
      order.put(n, Boolean.TRUE);
      return new AtomicLong();
    });
  }

  void add(String name, long delta) {
    counter(name).addAndGet(delta);
  }

  void increment(String name) {
    add(name, 1);
  }

  void set(String name, long value) {
    counter(name).set(value);
  }

  long get(String name) {
    AtomicLong c = counts.get(name);
    return c == null ? 0 : c.get();
  }

  /** Writes the JSON file and prints the summary line; returns the file. */
  Path write(Map<String, Object> parameters) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("test", test);
    json.put("wallSeconds", Math.round((System.nanoTime() - started) / 1e7) / 100.0);
    json.put("parameters", parameters);
    Map<String, Long> values = new LinkedHashMap<>();
    synchronized (order) {
      order.keySet().forEach(k -> values.put(k, counts.get(k).get()));
    }
    json.put("counts", values);
    Path dir = Path.of(System.getProperty("reliability.reportDir", "target/reliability"));
    Files.createDirectories(dir);
    Path file = dir.resolve(test + ".json");
    JSON.writeValue(file.toFile(), json);
    StringBuilder line = new StringBuilder("RELIABILITY ").append(test)
        .append(": ").append(json.get("wallSeconds")).append(" s");
    values.forEach((k, v) -> line.append(", ").append(k).append('=').append(v));
    line.append(" ").append(parameters);
    System.out.println(line);
    return file;
  }
}
