package dev.farmapi.apiclient;

import java.util.Optional;

/**
 * The outcome of one {@link HttpRequest#nextChunk()}: progress while the upload goes on, the
 * response once it is complete (then progress is empty), as Python's {@code (status, response)}.
 */
public final class UploadChunk<T> {
  private final MediaUploadProgress progress;
  private final T response;

  private UploadChunk(MediaUploadProgress progress, T response) {
    this.progress = progress;
    this.response = response;
  }

  static <T> UploadChunk<T> inProgress(MediaUploadProgress progress) {
    return new UploadChunk<>(progress, null);
  }

  static <T> UploadChunk<T> done(T response) {
    return new UploadChunk<>(null, response);
  }

  /** Progress, while the upload is not complete. */
  public Optional<MediaUploadProgress> progress() {
    return Optional.ofNullable(progress);
  }

  /** The response, once the upload is complete; null before. */
  public T response() {
    return response;
  }

  public boolean isDone() {
    return progress == null;
  }
}
