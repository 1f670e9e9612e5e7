package dev.farmapi.apiclient.discovery;

import java.io.IOException;

/**
 * A discovery document cannot be used: it is not JSON, or lacks what the Python client would
 * also fail without ({@code rootUrl}, {@code servicePath}, a method's {@code id}, {@code path} or
 * {@code httpMethod}), or holds a value it could not read (a {@code maxSize} such as "1.5KB", a
 * media range without a slash, a pattern that does not compile). The message names the place.
 *
 * <p>An {@link IOException}, like the other failures of what comes over the wire, whether the
 * document was fetched by {@link Discovery#build} or handed to {@link Discovery#fromDocument}.
 */
public final class InvalidDiscoveryDocumentError extends IOException {
  /** A document that cannot be used, with what is wrong and where. */
  public InvalidDiscoveryDocumentError(String message) {
    super(message);
  }

  /** A document that cannot be used, with the failure that showed it. */
  public InvalidDiscoveryDocumentError(String message, Throwable cause) {
    super(message, cause);
  }
}
