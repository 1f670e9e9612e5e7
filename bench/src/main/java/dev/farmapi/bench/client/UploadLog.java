package dev.farmapi.bench.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.TimeUnit;

/**
 * What a client main prints for the harness: one JSON line with the seconds the uploads took
 * (measured inside the client, from just before the first request to the last response) and
 * what the server said it stored for each ({@code id}, {@code md5Hash}, {@code mediaSize}). The
 * harness checks the hashes against the sources: a client never verifies itself.
 */
public final class UploadLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ObjectNode root = JSON.createObjectNode();
  private final ArrayNode uploads = root.putArray("uploads");
  private long started;

  /** Starts the clock. */
  public UploadLog start() {
    started = System.nanoTime();
    return this;
  }

  /** Records one stored upload; thread-safe. */
  public synchronized void stored(String id, String md5Hash, Long mediaSize) {
    ObjectNode u = uploads.addObject();
    u.put("id", id);
    u.put("md5Hash", md5Hash);
    u.put("mediaSize", mediaSize);
  }

  /** Stops the clock and prints the line. */
  public synchronized void finish() {
    double seconds = (System.nanoTime() - started) / (double) TimeUnit.SECONDS.toNanos(1);
    root.put("seconds", seconds);
    System.out.println(root);
    System.out.flush();
  }
}
