package dev.farmapi.apiclient.internal;

import dev.farmapi.apiclient.ChecksumMismatchError;
import dev.farmapi.apiclient.Credentials;
import dev.farmapi.apiclient.CredentialsException;
import dev.farmapi.apiclient.HttpError;
import dev.farmapi.apiclient.ResumableUploadError;
import dev.farmapi.apiclient.RetryListener;
import dev.farmapi.apiclient.RetryPolicy;
import dev.farmapi.apiclient.ServerUnreachableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides whether a failure is retried, and waits before the retry. Every
 * request of the library goes through it; callers only say how to make one attempt. A
 * {@code 401} is retried once, at once and outside the policy's count, when the client's
 * {@link Credentials} say that a {@linkplain Credentials#refresh() refresh} renewed them: the
 * attempt then starts over as after any failure (a resumable upload asks the server where it
 * stands, a one-request upload is sent again whole with fresh checksums).
 */
public final class Retrier {
  private static final Logger log = LoggerFactory.getLogger(Retrier.class);
  private static final Set<String> RATE_LIMIT_REASONS =
      Set.of("rateLimitExceeded", "userRateLimitExceeded");

  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final RetryListener listener;
  private final Credentials credentials; // null: nothing to refresh after a 401

  /** Waits between attempts; tests pass one that does not sleep. */
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** One attempt; {@code attempt} counts from 0. */
  public interface Attempt<T> {
    T run(int attempt) throws IOException;
  }

  public Retrier(RetryPolicy policy, Sleeper sleeper, RetryListener listener,
      Credentials credentials) {
    this.policy = policy;
    this.sleeper = sleeper;
    this.listener = listener;
    this.credentials = credentials;
  }

  /** Runs {@code attempt} until it succeeds, fails for good, or the policy is exhausted. */
  public <T> T run(String what, Attempt<T> attempt) throws IOException {
    long start = System.nanoTime();
    boolean refreshed = false;
    for (int n = 0, retries = 0; ; n++) {
      try {
        return attempt.run(n);
      } catch (IOException e) {
        IOException failure = e;
        if (!refreshed && credentials != null && e instanceof HttpError http
            && http.statusCode() == 401) {
          try {
            if (credentials.refresh()) {
              refreshed = true;
              log.debug("{}: 401; the credentials were refreshed, trying again at once", what);
              continue;
            }
          } catch (IOException refreshFailure) {
            refreshFailure.addSuppressed(e);
            failure = refreshFailure instanceof CredentialsException
                ? refreshFailure
                : new CredentialsException("refreshing the credentials after a 401 failed: "
                    + refreshFailure.getMessage(), refreshFailure, true);
          }
        }
        if (!isRetryable(failure) || retries >= policy.maxRetries()) {
          throw failure;
        }
        retries++;
        Duration pause = policy.delay(retries, ThreadLocalRandom.current().nextDouble());
        if (Duration.ofNanos(System.nanoTime() - start).plus(pause).compareTo(policy.deadline()) > 0) {
          throw failure;
        }
        log.info("{} failed ({}); retry {} of {} in {} ms", what, failure.toString(), retries,
            policy.maxRetries(), pause.toMillis());
        if (listener != null) {
          listener.onRetry(new RetryListener.Retry(what, retries, policy.maxRetries(), failure,
              pause));
        }
        try {
          sleeper.sleep(pause);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          InterruptedIOException interrupted = new InterruptedIOException("interrupted: " + what);
          interrupted.addSuppressed(failure);
          throw interrupted;
        }
      }
    }
  }

  /**
   * Retryable: 5xx, 408, 429 and 403 with a rate-limit reason, and failures to connect, send or
   * receive (resets, timeouts, early EOF) with a server that answered before. Not retryable:
   * other statuses, a server that never answered (nothing listening, a name that does not
   * resolve, TLS that cannot be agreed), checksum mismatches, sessions that cannot go on,
   * complete answers that are not JSON, failures of the media source, interruption. Failures of
   * the credentials are retried when they say so ({@link CredentialsException#isRetryable()}).
   */
  public static boolean isRetryable(Throwable e) {
    if (e instanceof SessionGoneException) {
      return true; // the uploader has reset itself to start the session over
    }
    if (e instanceof CredentialsException credentials) {
      return credentials.isRetryable();
    }
    if (e instanceof ServerUnreachableException unreachable) {
      return unreachable.answeredBefore();
    }
    if (!(e instanceof IOException)) {
      return false;
    }
    if (e instanceof HttpError http && !(e instanceof ResumableUploadError)) {
      return isRetryableStatus(http.statusCode(), http.reason());
    }
    if (e instanceof ResumableUploadError || e instanceof ChecksumMismatchError
        || e instanceof MalformedResponseException
        || e instanceof InterruptedIOException && !(e instanceof java.net.SocketTimeoutException)) {
      return false;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MediaSourceException) {
        return false;
      }
    }
    return true;
  }

  public static boolean isRetryableStatus(int status, String reason) {
    return status >= 500 || status == 408 || status == 429
        || (status == 403 && RATE_LIMIT_REASONS.contains(reason));
  }
}
