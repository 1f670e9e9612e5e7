package dev.farmapi.server.upload;

import java.io.IOException;

/** A body of undeclared length grew past the server's maximum upload size. */
public final class BodyTooLargeException extends IOException {
  public BodyTooLargeException(long limit) {
    super("media exceeds this server's maximum of " + limit + " bytes");
  }
}
