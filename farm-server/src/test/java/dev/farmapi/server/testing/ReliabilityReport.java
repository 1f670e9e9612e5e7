package dev.farmapi.server.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what a reliability test did (faults armed, 5xx answered, sessions recovered, uploads
 * verified, connections held) and writes them to {@code target/reliability/<test>.json}, for
 * docs/RELIABILITY.md. Thread-safe: concurrent tests count from many threads.
 */
public final class ReliabilityReport {
  private final String test;
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

  public ReliabilityReport(String test) {
    this.test = test;
  }

  public void add(String name, long n) {
    counts.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(n);
  }

  public void count(String name) {
    add(name, 1);
  }

  /** Records the highest value seen of {@code name} (e.g. connections held at once). */
  public void max(String name, long value) {
    counts.computeIfAbsent(name, k -> new AtomicLong()).accumulateAndGet(value, Math::max);
  }

  public long get(String name) {
    AtomicLong n = counts.get(name);
    return n == null ? 0 : n.get();
  }

  @Override
  public String toString() {
    return test + " " + new TreeMap<>(counts);
  }

  /**
   * Writes the counts, sorted by name, to {@code target/reliability/<test>.json}
   * ({@code <test>-cluster.json} for a run through the {@link SharedCluster}).
   */
  public Path write() throws IOException {
    Map<String, Long> sorted = new TreeMap<>();
    counts.forEach((k, v) -> sorted.put(k, v.get()));
    Path file = Path.of("target", "reliability",
        test + (SharedCluster.enabled() ? "-cluster" : "") + ".json");
    Files.createDirectories(file.getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(file.toFile(), Map.of("test", test, "counts", sorted));
    return file;
  }
}
