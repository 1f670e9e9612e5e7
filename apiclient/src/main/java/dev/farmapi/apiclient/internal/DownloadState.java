package dev.farmapi.apiclient.internal;

import dev.farmapi.apiclient.MediaDownloadProgress;
import java.util.OptionalLong;

/**
 * Where a download stands: how many bytes the destination holds and their running checksums,
 * and what the server said of the media (version, size, checksums). Shared by the chunk loop
 * ({@link Downloader}) and its attempts ({@link RangeFetcher}); not thread-safe.
 */
final class DownloadState {
  private final boolean withMd5;
  Checksums checksums;
  long offset;
  long totalSize = -1;
  String etag; // strong, for If-Range
  ExpectedChecksums server = ExpectedChecksums.NONE; // X-Goog-Hash
  boolean atEnd;

  /** {@code withMd5}: also compute MD5 (CRC32C always is). */
  DownloadState(boolean withMd5) {
    this.withMd5 = withMd5;
    this.checksums = new Checksums(withMd5);
  }

  /** Forgets everything: the media changed and the download starts over. */
  void reset() {
    checksums = new Checksums(withMd5);
    offset = 0;
    totalSize = -1;
    etag = null;
    server = ExpectedChecksums.NONE;
    atEnd = false;
  }

  OptionalLong total() {
    return totalSize < 0 ? OptionalLong.empty() : OptionalLong.of(totalSize);
  }

  MediaDownloadProgress progress(long bytes) {
    return new MediaDownloadProgress(bytes, total());
  }
}
