package dev.farmapi.apiclient;

import java.io.IOException;
import java.time.Duration;

/**
 * Told before every retry: what failed, which retry this is, and how long until it. For showing
 * users that an upload is surviving trouble (the {@code farm} command prints these), or metrics.
 */
@FunctionalInterface
public interface RetryListener {
  void onRetry(Retry retry);

  /**
   * One retry about to happen.
   *
   * @param request what is being retried, e.g. "PUT http://host/upload/..."
   * @param number 1 for the first retry
   * @param maxRetries how many the policy allows
   * @param failure what went wrong
   * @param delay the wait before the retry
   */
  record Retry(String request, int number, int maxRetries, IOException failure, Duration delay) {}
}
