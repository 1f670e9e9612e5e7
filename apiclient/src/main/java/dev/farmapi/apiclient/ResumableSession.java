package dev.farmapi.apiclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Objects;

/**
 * Where a resumable upload stands, small enough to save after every chunk and plain enough to
 * read back in another process (JSON of strings and numbers; never class names). Give it to
 * {@link HttpRequest.Builder#resumeFrom} to continue the upload after the process died: the
 * server's own offset is asked for first, so a stale {@code offset} here costs nothing.
 *
 * @param sessionUri the session URI the server gave
 * @param offset bytes the server had acknowledged when this was saved
 * @param totalSize the media's size, or -1 when unknown
 * @param mimeType the media's type
 * @param fingerprint identifies the source ({@link dev.farmapi.apiclient.media.MediaUpload#fingerprint()}),
 *     or null when it has none
 */
public record ResumableSession(URI sessionUri, long offset, long totalSize, String mimeType,
    String fingerprint) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public ResumableSession {
    Objects.requireNonNull(sessionUri, "sessionUri");
    Objects.requireNonNull(mimeType, "mimeType");
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0");
    }
  }

  /** This session as JSON. */
  public String toJson() {
    ObjectNode json = JSON.createObjectNode()
        .put("sessionUri", sessionUri.toString())
        .put("offset", offset)
        .put("totalSize", totalSize)
        .put("mimeType", mimeType);
    if (fingerprint != null) {
      json.put("fingerprint", fingerprint);
    }
    try {
      return JSON.writeValueAsString(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads what {@link #toJson()} wrote; a malformed text is an {@link IllegalArgumentException}. */
  public static ResumableSession fromJson(String text) {
    try {
      JsonNode json = JSON.readTree(text);
      JsonNode uri = json.get("sessionUri");
      JsonNode mimeType = json.get("mimeType");
      if (uri == null || !uri.isTextual() || mimeType == null || !mimeType.isTextual()) {
        throw new IllegalArgumentException("not a saved resumable session: " + text);
      }
      JsonNode fingerprint = json.get("fingerprint");
      return new ResumableSession(URI.create(uri.textValue()), json.path("offset").asLong(0),
          json.path("totalSize").asLong(-1), mimeType.textValue(),
          fingerprint == null || fingerprint.isNull() ? null : fingerprint.asText());
    } catch (IOException e) {
      throw new IllegalArgumentException("not a saved resumable session: " + e.getMessage(), e);
    }
  }
}
