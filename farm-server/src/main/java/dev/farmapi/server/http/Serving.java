package dev.farmapi.server.http;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every exchange is served with: the public URL, the limits on request bodies, and the
 * workers that do blocking work (the stores) while network waits hold no thread.
 *
 * @param publicUrl the root URL clients reach the server at, or null to use each request's own
 * @param bodyTimeout how long a request body may go silent before the request fails with 408
 * @param minBodyRate bytes per second a body must average past its first {@code bodyTimeout}
 *     (0: no minimum), as Apache's {@code mod_reqtimeout} {@code MinRate}
 * @param workers the bounded pool that runs handlers and every step that touches the stores
 * @param windows the memory request bodies may hold while they arrive
 */
public record Serving(String publicUrl, Duration bodyTimeout, long minBodyRate,
    Executor workers, WindowBudget windows) {
  private static final Logger log = LoggerFactory.getLogger(Serving.class);

  /** Serving with body windows bounded by a quarter of the heap. */
  public Serving(String publicUrl, Duration bodyTimeout, long minBodyRate, Executor workers) {
    this(publicUrl, bodyTimeout, minBodyRate, workers, WindowBudget.ofHeap());
  }

  /** Runs {@code task} on a worker; during a stop, when the workers are gone, drops it. */
  void execute(Runnable task) {
    try {
      workers.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("server stopping: a request's next step was dropped");
    }
  }
}
