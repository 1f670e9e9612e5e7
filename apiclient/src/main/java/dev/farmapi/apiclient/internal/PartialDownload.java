package dev.farmapi.apiclient.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a partial file holds: which media ({@code uri}), which version of it ({@code etag}, a
 * strong validator, sent back as {@code If-Range}), its total size if known (-1 if not), and
 * how many bytes are there ({@code length}: the file's own length; not saved, since the file is
 * the truth). Saved as a small JSON sidecar, plain strings and numbers.
 */
public record PartialDownload(String uri, String etag, long totalSize, long length) {
  /** Nothing to continue from. */
  public static final PartialDownload NONE = new PartialDownload(null, null, -1, 0);

  private static final ObjectMapper JSON = new ObjectMapper();

  public PartialDownload withLength(long n) {
    return new PartialDownload(uri, etag, totalSize, n);
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(JSON.createObjectNode()
          .put("uri", uri).put("etag", etag).put("totalSize", totalSize));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads what {@link #toJson()} wrote (length 0); null when the text is not that. */
  public static PartialDownload fromJson(String text) {
    try {
      JsonNode json = JSON.readTree(text);
      if (json == null || !json.path("uri").isTextual() || !json.path("etag").isTextual()) {
        return null;
      }
      return new PartialDownload(json.get("uri").textValue(), json.get("etag").textValue(),
          json.path("totalSize").asLong(-1), 0);
    } catch (IOException e) {
      return null;
    }
  }
}
