package dev.farmapi.server.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Adds a test's counts to {@code target/reliability/isolation.json}, the record of how many
 * guessed ids and hostile inputs the isolation tests sent and how many were refused.
 */
final class ReliabilityCounts {
  private static final Path FILE = Path.of("target", "reliability", "isolation.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReliabilityCounts() {}

  /** Sets {@code section} (a test's name) to {@code counts}, keeping the other sections. */
  static synchronized void record(String section, ObjectNode counts) throws IOException {
    Files.createDirectories(FILE.getParent());
    ObjectNode all = Files.exists(FILE) ? (ObjectNode) JSON.readTree(FILE.toFile())
        : JSON.createObjectNode();
    all.set(section, counts);
    JSON.writerWithDefaultPrettyPrinter().writeValue(FILE.toFile(), all);
  }

  static ObjectNode counts() {
    return JSON.createObjectNode();
  }
}
