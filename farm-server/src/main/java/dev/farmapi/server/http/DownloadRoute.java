package dev.farmapi.server.http;

import dev.farmapi.server.ApiException;
import dev.farmapi.server.store.Animal;
import dev.farmapi.server.store.BlobStore;
import dev.farmapi.server.store.Media;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;

/**
 * {@code GET farm/v1/animals/{id}?alt=media}: the picture's bytes, whole (200) or one range (206),
 * with a strong {@code ETag} (the MD5) so that a client can resume with {@code If-Range}, and
 * {@code X-Goog-Hash} so that it can verify what it got. The bytes go out as {@link MediaBody}
 * gives them (mapped regions of a local file, no copy through a buffer of ours; else one pooled
 * buffer), through a {@link ResponseBody}: a client that reads slowly holds no thread.
 */
final class DownloadRoute {
  private final BlobStore blobs;
  private final ServerMetrics metrics;

  DownloadRoute(BlobStore blobs, ServerMetrics metrics) {
    this.blobs = blobs;
    this.metrics = metrics;
  }

  void download(Exchange ex, Animal animal, RequestFaults faults) throws Exception {
    Media media = animal.media();
    if (media == null) {
      throw ApiException.notFound("animal " + animal.id() + " has no media to download");
    }
    Optional<Fault> fault = faults.atDownload();
    String etag = "\"" + media.md5() + "\"";
    ByteRange range = ByteRange.select(ex.header(HttpHeader.RANGE), ex.header(HttpHeader.IF_RANGE),
        etag, media.size());
    var headers = ex.response.getHeaders();
    headers.put(HttpHeader.ACCEPT_RANGES, "bytes");
    headers.put(HttpHeader.ETAG, etag);
    headers.put("X-Goog-Hash", "crc32c=" + media.crc32c() + ",md5=" + media.md5());
    if (range == null) {
      headers.put(HttpHeader.CONTENT_RANGE, "bytes */" + media.size());
      throw new ApiException(416, "requestedRangeNotSatisfiable", "Range '"
          + Texts.excerpt(ex.header(HttpHeader.RANGE)) + "' is outside the media's "
          + media.size() + " bytes");
    }
    SeekableByteChannel blob = blobs.read(media.blobKey());
    MediaBody body;
    try {
      body = MediaBody.of(blob, range.first(), range.length(),
          ex.request.getComponents().getByteBufferPool());
    } catch (IOException | RuntimeException e) {
      blob.close();
      throw e;
    }
    headers.put(HttpHeader.CONTENT_TYPE, media.contentType());
    headers.put(HttpHeader.CONTENT_LENGTH, range.length());
    if (range.partial()) {
      headers.put(HttpHeader.CONTENT_RANGE, range.contentRange(media.size()));
    }
    ex.response.setStatus(range.partial() ? 206 : 200);
    new ResponseBody(ex, blob, body, range.length(), fault, metrics).start();
  }
}
