package dev.farmapi.apiclient.internal;

import java.io.IOException;

/** A complete response that is not what the protocol says it is: not worth a retry. */
public final class MalformedResponseException extends IOException {
  public MalformedResponseException(String message, Throwable cause) {
    super(message, cause);
  }
}
