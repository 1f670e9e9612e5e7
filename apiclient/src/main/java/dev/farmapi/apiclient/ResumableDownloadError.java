package dev.farmapi.apiclient;

/**
 * A download cannot go on, and retrying would not help: the server's answer contradicts the
 * request (a {@code Content-Range} other than the one asked for, or none on a 206), or the media
 * changed on the server after bytes had gone to a stream, which cannot take them back. A file
 * download never fails for a changed media: it starts over.
 *
 * <p>{@link #statusCode()} is the (successful) status of the answer that could not be used.
 */
public final class ResumableDownloadError extends HttpError {
  public ResumableDownloadError(String problem, int statusCode) {
    super(statusCode, "", problem, (Throwable) null);
  }
}
