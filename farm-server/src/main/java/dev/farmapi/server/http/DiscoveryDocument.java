package dev.farmapi.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.server.upload.UploadPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The discovery document, from a template filled with what varies: the root URL (the request's
 * own, or the configured public URL) and the server's accepted types and maximum size.
 */
final class DiscoveryDocument {
  private final ObjectNode template;

  DiscoveryDocument(UploadPolicy policy) {
    try (InputStream in = DiscoveryDocument.class.getResourceAsStream("discovery.json")) {
      template = (ObjectNode) Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("discovery.json is missing from the jar", e);
    }
    ObjectNode methods = (ObjectNode) template.at("/resources/animals/methods");
    for (String method : new String[] {"insert", "update"}) {
      ObjectNode upload = (ObjectNode) methods.get(method).get("mediaUpload");
      ArrayNode accept = upload.putArray("accept");
      policy.accept().forEach(accept::add);
      upload.put("maxSize", maxSize(policy.maxSize()));
    }
  }

  /** The document as served from {@code rootUrl} (ending in '/'). */
  ObjectNode forRoot(String rootUrl) {
    return template.deepCopy()
        .put("rootUrl", rootUrl)
        .put("baseUrl", rootUrl + "farm/v1/");
  }

  /**
   * A size as the Python client parses {@code maxSize}: a whole number of KB, MB, GB or TB
   * (binary units), else a plain integer. "1.5KB" or "1K" would crash it.
   */
  static String maxSize(long bytes) {
    String[] units = {"TB", "GB", "MB", "KB"};
    for (int i = 0; i < units.length; i++) {
      int shift = 40 - 10 * i;
      if (bytes >= (1L << shift) && bytes % (1L << shift) == 0) {
        return (bytes >> shift) + units[i];
      }
    }
    return Long.toString(bytes);
  }
}
