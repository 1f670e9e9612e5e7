package dev.farmapi.apiclient;

import java.time.Duration;
import java.util.Objects;

/**
 * How failed requests are retried: up to {@code maxRetries} more attempts, waiting an
 * exponentially growing delay (from {@code initialDelay}, times {@code multiplier}, at most
 * {@code maxDelay}) with random jitter, and giving up once {@code deadline} has passed since the
 * first attempt. What counts as retryable is fixed by the protocol, not by the policy: 5xx, 408,
 * 429, 403 with a rate-limit reason, dropped connections and timeouts
 * ({@link #isRetryable(Throwable)}).
 */
public record RetryPolicy(int maxRetries, Duration initialDelay, Duration maxDelay,
    double multiplier, Duration deadline) {

  public RetryPolicy {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0");
    }
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(deadline, "deadline");
    if (multiplier < 1) {
      throw new IllegalArgumentException("multiplier must be >= 1");
    }
  }

  /**
   * The library's one verdict on a failure: whether it is transient, so that trying the same
   * request again later may succeed (and the library retries it while its policy allows).
   * True for 5xx, 408, 429 and 403 with a rate-limit reason, and for connections that failed
   * with a server that had answered before; false for other statuses, a server that never
   * answered ({@link ServerUnreachableException}), checksum mismatches, sessions that cannot go
   * on, answers that are not JSON, failures of the media source or destination, interruption
   * and anything not an {@code IOException}. Callers that map failures to outcomes (exit codes,
   * "try again later" messages) use this rather than deciding again.
   */
  public static boolean isRetryable(Throwable failure) {
    return dev.farmapi.apiclient.internal.Retrier.isRetryable(failure);
  }

  /** Six retries from 1 s doubling to 32 s, within 10 minutes. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(32), 2.0,
        Duration.ofMinutes(10));
  }

  /** No retries: every failure is thrown at once. */
  public static RetryPolicy none() {
    return defaults().withMaxRetries(0);
  }

  public RetryPolicy withMaxRetries(int n) {
    return new RetryPolicy(n, initialDelay, maxDelay, multiplier, deadline);
  }

  public RetryPolicy withDelays(Duration initial, Duration max) {
    return new RetryPolicy(maxRetries, initial, max, multiplier, deadline);
  }

  public RetryPolicy withDeadline(Duration total) {
    return new RetryPolicy(maxRetries, initialDelay, maxDelay, multiplier, total);
  }

  /**
   * The pause before retry number {@code retry} (1 for the first): half the exponential delay
   * plus a random share of the other half, so that clients failing together do not retry
   * together, yet never wait less than half the schedule.
   */
  public Duration delay(int retry, double random) {
    double exponential = initialDelay.toNanos() * Math.pow(multiplier, retry - 1);
    double capped = Math.min(exponential, maxDelay.toNanos());
    return Duration.ofNanos((long) (capped / 2 + capped / 2 * random));
  }
}
