package dev.farmapi.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What makes the bytes of an S3 blob under append durable, recorded with the session's offset in
 * the metadata store: the multipart upload (id, part size, each full part's ETag, in order) and
 * the staged tail, smaller than a part, as segment objects of their own. Part {@code n} always
 * holds bytes {@code [(n-1)·partSize, n·partSize)}: a writer that lost its lock and uploads a
 * part late uploads the same bytes under the same number, and a tail segment is never replaced,
 * only superseded by a state that no longer names it.
 */
record S3BlobState(String uploadId, long partSize, List<String> etags, List<Segment> segments) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A staged piece of the tail: an object of its own, never rewritten. */
  record Segment(String name, long size) {}

  S3BlobState {
    etags = List.copyOf(etags);
    segments = List.copyOf(segments);
  }

  static S3BlobState empty(long partSize) {
    return new S3BlobState(null, partSize, List.of(), List.of());
  }

  /** The bytes this state holds durably. */
  long size() {
    return etags.size() * partSize + tailSize();
  }

  long tailSize() {
    long sum = 0;
    for (Segment s : segments) {
      sum += s.size();
    }
    return sum;
  }

  static S3BlobState parse(String json, long defaultPartSize) throws IOException {
    if (json == null) {
      return empty(defaultPartSize);
    }
    JsonNode node = JSON.readTree(json);
    List<String> etags = new ArrayList<>();
    node.path("etags").forEach(e -> etags.add(e.asText()));
    List<Segment> segments = new ArrayList<>();
    node.path("segments").forEach(s -> segments.add(
        new Segment(s.path("name").asText(), s.path("size").asLong())));
    JsonNode id = node.get("uploadId");
    return new S3BlobState(id == null || id.isNull() ? null : id.asText(),
        node.path("partSize").asLong(defaultPartSize), etags, segments);
  }

  String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("uploadId", uploadId);
    node.put("partSize", partSize);
    ArrayNode e = node.putArray("etags");
    etags.forEach(e::add);
    ArrayNode s = node.putArray("segments");
    segments.forEach(seg -> s.addObject().put("name", seg.name()).put("size", seg.size()));
    return node.toString();
  }
}
