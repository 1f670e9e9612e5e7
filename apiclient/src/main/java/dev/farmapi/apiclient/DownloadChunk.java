package dev.farmapi.apiclient;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one {@link MediaDownload#nextChunk()}, as Python's {@code (status, done)}:
 * progress always, and once the download is complete and verified, its result.
 */
public final class DownloadChunk {
  private final MediaDownloadProgress progress;
  private final DownloadResult result;

  private DownloadChunk(MediaDownloadProgress progress, DownloadResult result) {
    this.progress = Objects.requireNonNull(progress, "progress");
    this.result = result;
  }

  /** A chunk after which more remains. */
  static DownloadChunk inProgress(MediaDownloadProgress progress) {
    return new DownloadChunk(progress, null);
  }

  /** The last chunk: the media is complete, checked and in place. */
  static DownloadChunk done(MediaDownloadProgress progress, DownloadResult result) {
    return new DownloadChunk(progress, Objects.requireNonNull(result, "result"));
  }

  public MediaDownloadProgress progress() {
    return progress;
  }

  /** Whether the download is complete: Python's {@code done}. */
  public boolean isDone() {
    return result != null;
  }

  /** The result, once done. */
  public Optional<DownloadResult> result() {
    return Optional.ofNullable(result);
  }
}
