package dev.farmapi.apiclient;

import java.util.OptionalLong;

/**
 * How far an upload (or download) has come.
 *
 * @param bytesUploaded bytes done: acknowledged by the server when it comes from a chunk,
 *     handed to the network when it comes from a {@link ProgressListener}
 * @param totalSize the media's size, when known
 */
public record MediaUploadProgress(long bytesUploaded, OptionalLong totalSize) {

  /** The fraction done, from 0.0 to 1.0; 0.0 while the total is unknown. */
  public double progress() {
    if (totalSize.isEmpty()) {
      return 0.0;
    }
    long total = totalSize.getAsLong();
    return total == 0 ? 1.0 : (double) bytesUploaded / total;
  }
}
