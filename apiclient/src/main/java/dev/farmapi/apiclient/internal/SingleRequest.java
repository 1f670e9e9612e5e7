package dev.farmapi.apiclient.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.HttpError;
import dev.farmapi.apiclient.MediaUploadProgress;
import dev.farmapi.apiclient.ProgressListener;
import dev.farmapi.apiclient.media.MediaUpload;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A request sent whole, with retries: plain JSON, a simple media upload
 * ({@code uploadType=media}) or a multipart one. Each attempt re-reads the media from its start
 * and recomputes its checksums, which are checked against the server's answer; within an
 * attempt each media byte is hashed once, however often a layer below opens the body again.
 */
public final class SingleRequest {
  /**
   * Sent with every media upload, one random UUID per call of {@link #send} and the same on each
   * of its retries: a retry whose first attempt did reach the server, but whose answer was lost,
   * gets that first attempt's animal back instead of making a second one (IETF httpapi draft
   * "The Idempotency-Key HTTP Header Field"; docs/PROTOCOL.md).
   */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private SingleRequest() {}

  /** Sends the request; {@code media} null for plain JSON. Returns the response JSON. */
  public static JsonNode send(UploadContext context, int maxRetries, String method, URI uri,
      Map<String, String> headers, byte[] json, MediaUpload media, URI uploadUri,
      ProgressListener progress) throws IOException {
    Map<String, String> withKey = new LinkedHashMap<>(headers);
    if (media != null && withKey.keySet().stream().noneMatch(IDEMPOTENCY_KEY::equalsIgnoreCase)) {
      withKey.put(IDEMPOTENCY_KEY, UUID.randomUUID().toString());
    }
    return context.retrier(maxRetries).run(method + " " + Uris.display(uri), attempt -> {
      if (media == null) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        if (json != null) {
          h.put("Content-Type", "application/json; charset=UTF-8");
        }
        return answer(context, context.transport().send(method, uri, h,
            Transport.Body.of(json == null ? new byte[0] : json)), method, uri, null);
      }
      return sendMedia(context, method, withKey, json, media, uploadUri, progress);
    });
  }

  private static JsonNode sendMedia(UploadContext context, String method,
      Map<String, String> headers, byte[] json, MediaUpload media, URI uploadUri,
      ProgressListener progress) throws IOException {
    Checksums checksums = context.checksums();
    long size = media.size().orElse(-1);
    ObservingChannel.Observer observer = (bytes, offset) -> {
      long hashed = checksums.length();
      long end = offset + bytes.remaining();
      if (offset <= hashed && end > hashed) { // bytes seen before are not hashed twice
        checksums.update(bytes.duplicate().position(bytes.position() + (int) (hashed - offset)));
      }
      if (progress != null) {
        progress.onProgress(new MediaUploadProgress(offset + bytes.remaining(), media.size()));
      }
    };
    Map<String, String> h = new LinkedHashMap<>(headers);
    URI uri;
    Transport.Body body;
    if (json == null) {
      uri = Uris.withQuery(uploadUri, "uploadType", "media");
      h.put("Content-Type", media.mimeType());
      body = new Transport.Body(size,
          () -> new ObservingChannel(media.open(0), 0, observer));
    } else {
      uri = Uris.withQuery(uploadUri, "uploadType", "multipart");
      MultipartBody multipart = new MultipartBody(json, media.mimeType());
      h.put("Content-Type", multipart.contentType());
      body = new Transport.Body(multipart.length(size),
          () -> multipart.open(new ObservingChannel(media.open(0), 0, observer)));
    }
    return answer(context, context.transport().send(method, uri, h, body), method, uri, checksums);
  }

  private static JsonNode answer(UploadContext context, Transport.Response r, String method,
      URI uri, Checksums media) throws IOException {
    if (r.status() / 100 != 2) {
      throw new HttpError(r.status(), r.text(), method, uri);
    }
    String what = method + " " + Uris.display(uri);
    JsonNode json = context.parse(r, what);
    if (media != null) {
      UploadContext.verify(json, media, what);
    }
    return json;
  }
}
