package dev.farmapi.apiclient;

import java.util.OptionalLong;

/**
 * How far a download has come, as Python's {@code MediaDownloadProgress}.
 *
 * @param bytesDownloaded bytes of the media now in the destination, counting those a resumed
 *     download found in its partial file
 * @param totalSize the media's size, once a response told it
 */
public record MediaDownloadProgress(long bytesDownloaded, OptionalLong totalSize) {

  public MediaDownloadProgress {
    if (bytesDownloaded < 0) {
      throw new IllegalArgumentException("bytesDownloaded must be >= 0");
    }
  }

  /** The fraction done, from 0.0 to 1.0; 0.0 while the total is unknown, 1.0 for empty media. */
  public double progress() {
    if (totalSize.isEmpty()) {
      return 0.0;
    }
    long total = totalSize.getAsLong();
    return total == 0 ? 1.0 : (double) bytesDownloaded / total;
  }
}
