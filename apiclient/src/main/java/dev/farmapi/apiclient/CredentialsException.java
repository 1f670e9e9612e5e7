package dev.farmapi.apiclient;

import java.io.IOException;

/**
 * {@link Credentials} could not supply a request's headers: a token endpoint refused the grant
 * (a revoked service-account key, a wrong client secret), a credentials file is unreadable, or,
 * {@linkplain #isRetryable() retryable}, the token endpoint did not answer. The request itself was
 * not sent. The message never carries a secret.
 */
public final class CredentialsException extends IOException {
  private final boolean retryable;

  /**
   * @param retryable whether asking again later may succeed (a token endpoint that timed out or
   *     answered 5xx), so that the client retries as for a dropped connection
   */
  public CredentialsException(String message, Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** Whether trying again later may succeed; the library then retries within its policy. */
  public boolean isRetryable() {
    return retryable;
  }
}
