package dev.farmapi.server.upload;

import java.io.IOException;

/** The request body ended before the length its headers promised. */
public final class TruncatedBodyException extends IOException {
  public TruncatedBodyException(long received, long expected) {
    super("request body ended after " + received + " of " + expected + " bytes");
  }
}
