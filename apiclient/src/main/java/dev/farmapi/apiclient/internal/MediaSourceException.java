package dev.farmapi.apiclient.internal;

import java.io.IOException;

/**
 * Reading the media failed (a file vanished or changed, a stream broke): the source's fault,
 * not the network's, so retrying cannot help.
 */
public final class MediaSourceException extends IOException {
  public MediaSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
