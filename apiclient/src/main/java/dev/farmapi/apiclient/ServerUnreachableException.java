package dev.farmapi.apiclient;

import java.io.IOException;

/**
 * The server could not be reached at all: nothing listens at its address, its name does not
 * resolve, it does not answer a connection request, or TLS could not be agreed with it. The
 * message says which, with the host and port, in words a person can act on.
 *
 * <p>When the server {@linkplain #answeredBefore() never answered} this client, the failure is
 * final and thrown at once, without retries: a mistyped address or a server that is not running
 * does not start working by waiting. When it did answer before, the same failure is most likely
 * a restart, and it is retried like a dropped connection ({@link RetryPolicy#isRetryable}).
 */
public final class ServerUnreachableException extends IOException {
  /** Why the server could not be reached. */
  public enum Reason {
    /** Nothing listens at the address (connection refused). */
    REFUSED,
    /** The host name did not resolve. */
    UNRESOLVED,
    /** The server did not answer the connection request in time. */
    TIMEOUT,
    /** TLS could not be agreed (plain HTTP on one side, an untrusted certificate, ...). */
    TLS
  }

  private final Reason reason;
  private final String host;
  private final int port;
  private final boolean answeredBefore;

  public ServerUnreachableException(Reason reason, String host, int port, boolean answeredBefore,
      String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.host = host;
    this.port = port;
    this.answeredBefore = answeredBefore;
  }

  public Reason reason() {
    return reason;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** Whether this client had an answer from the server before (then the failure is retried). */
  public boolean answeredBefore() {
    return answeredBefore;
  }
}
