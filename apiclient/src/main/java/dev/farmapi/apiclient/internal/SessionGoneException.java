package dev.farmapi.apiclient.internal;

import dev.farmapi.apiclient.HttpError;
import java.net.URI;

/**
 * The server no longer knows the upload session (404 or 410: expired, cancelled, or lost). The
 * uploader has already reset itself to start a new session from byte 0, so unlike other 4xx
 * this one is worth a retry; with no retries left the caller sees it as the HttpError it is, and
 * the next call starts over.
 */
public final class SessionGoneException extends HttpError {
  public SessionGoneException(int statusCode, String content, URI session) {
    super(statusCode, content, "PUT", session);
  }
}
