package dev.farmapi.apiclient;

import dev.farmapi.apiclient.internal.Uris;
import java.net.URI;

/**
 * A resumable upload cannot go on: the server did not start a session (not a 200 with a
 * {@code Location}), or the session's state cannot be reconciled with the source (the source
 * changed, or a stream would have to be re-read from before what it still holds).
 */
public final class ResumableUploadError extends HttpError {
  public ResumableUploadError(int statusCode, String content, String method, URI uri) {
    super(statusCode, content, method + " " + Uris.display(uri), (Throwable) null);
  }

  /** A failure found on this side; {@code statusCode} is the last one seen, or 0. */
  public ResumableUploadError(String problem, int statusCode) {
    super(statusCode, "", problem, (Throwable) null);
  }
}
