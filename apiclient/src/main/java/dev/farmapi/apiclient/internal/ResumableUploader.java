package dev.farmapi.apiclient.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.HttpError;
import dev.farmapi.apiclient.MediaUploadProgress;
import dev.farmapi.apiclient.ProgressListener;
import dev.farmapi.apiclient.ResumableSession;
import dev.farmapi.apiclient.ResumableUploadError;
import dev.farmapi.apiclient.media.MediaUpload;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The client side of a resumable upload: initiate, send chunks, ask the server where it stands
 * after any failure, rewind to what it acknowledged, start over when the session is gone
 * (404/410), and check the finished upload's checksums. One {@link #next} sends at most one chunk
 * (plus its retries).
 */
public final class ResumableUploader {
  private final UploadContext context;
  private final String method;
  private final URI uploadUri;
  private final Map<String, String> headers;
  private final byte[] metadata; // null: no metadata
  private final MediaUpload media;
  private final ChunkSource chunks;
  private final ProgressListener progress;
  private final Consumer<ResumableSession> sessionListener;

  private URI sessionUri;
  private long offset; // acknowledged by the server
  private long sentEnd; // the furthest media byte put on the wire: the most the server can hold
  private long total; // -1 until known
  private boolean inErrorState;
  private JsonNode response; // set once complete
  private boolean cancelled;
  private final Checksums checksums; // over bytes [0, checksums.length())
  private boolean checksumsComplete = true; // false once a byte was skipped unhashed

  public ResumableUploader(UploadContext context, String method, URI uploadUri,
      Map<String, String> headers, byte[] metadata, MediaUpload media,
      ProgressListener progress, Consumer<ResumableSession> sessionListener,
      ResumableSession resumeFrom) {
    this.context = context;
    this.checksums = context.checksums();
    this.method = method;
    this.uploadUri = uploadUri;
    this.headers = headers;
    this.metadata = metadata;
    this.media = media;
    this.chunks = ChunkSource.of(media);
    this.progress = progress;
    this.sessionListener = sessionListener;
    this.total = media.size().orElse(-1);
    if (resumeFrom != null) {
      if (resumeFrom.fingerprint() == null
          || !resumeFrom.fingerprint().equals(media.fingerprint().orElse(null))) {
        throw new IllegalArgumentException("the saved session was for another source (or this"
            + " source cannot be recognised); start a new upload");
      }
      this.sessionUri = resumeFrom.sessionUri();
      this.inErrorState = true; // the server's offset, not the saved one, decides
      // The dead process may have sent past its last save, up to the whole media.
      this.sentEnd = total >= 0 ? total : Long.MAX_VALUE;
    }
  }

  public boolean isDone() {
    return response != null;
  }

  public JsonNode response() {
    return response;
  }

  /** Sends the next chunk (initiating first if needed); null while the upload goes on. */
  public JsonNode next(int maxRetries) throws IOException {
    if (cancelled) {
      throw new IllegalStateException("the upload was cancelled");
    }
    if (response != null) {
      return response;
    }
    return context.retrier(maxRetries).run("upload to " + Uris.display(uploadUri),
        attempt -> step());
  }

  public MediaUploadProgress progress() {
    return new MediaUploadProgress(offset, total < 0 ? OptionalLong.empty() : OptionalLong.of(total));
  }

  /** The session as it stands, once initiated. */
  public ResumableSession session() {
    return sessionUri == null ? null : new ResumableSession(sessionUri, offset, total,
        media.mimeType(), media.fingerprint().orElse(null));
  }

  /** Deletes the session on the server (DELETE answers 499); no retries but one after a 401. */
  public void cancel() throws IOException {
    cancelled = true;
    if (sessionUri == null || response != null) {
      return;
    }
    context.retrier(0).run("cancel " + Uris.display(sessionUri), attempt -> {
      Transport.Response r = context.transport().send("DELETE", sessionUri, Map.of(),
          Transport.Body.EMPTY);
      if (r.status() != 499 && r.status() != 404 && r.status() / 100 != 2) {
        throw new HttpError(r.status(), r.text(), "DELETE", sessionUri);
      }
      return null;
    });
  }

  private JsonNode step() throws IOException {
    if (sessionUri == null) {
      initiate();
    } else if (inErrorState) {
      JsonNode done = handle(put(query(), Transport.Body.EMPTY), sentEnd);
      if (done != null) {
        return done;
      }
    }
    ChunkSource.Chunk chunk = chunks.chunk(offset);
    if (chunk.total() >= 0) {
      total = chunk.total();
    }
    if (chunk.length() == 0) {
      // Nothing left to send (the data ended on a chunk boundary, or is empty): a status query
      // with the total finalizes, where Python sends an empty 'bytes N-(N-1)/N' chunk.
      return handle(put(query(), Transport.Body.EMPTY), sentEnd);
    }
    hashUpTo(chunk.offset());
    String range = "bytes " + chunk.offset() + "-" + (chunk.offset() + chunk.length() - 1) + "/"
        + (total >= 0 ? Long.toString(total) : "*");
    Transport.Body body = new Transport.Body(chunk.length(),
        () -> new ObservingChannel(chunk.bytes().open(), chunk.offset(), this::observe));
    sentEnd = Math.max(sentEnd, chunk.offset() + chunk.length());
    return handle(put(range, body), sentEnd);
  }

  private void initiate() throws IOException {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put("X-Upload-Content-Type", media.mimeType());
    if (total >= 0) {
      h.put("X-Upload-Content-Length", Long.toString(total));
    }
    if (metadata != null) {
      h.put("Content-Type", "application/json; charset=UTF-8");
    }
    URI uri = Uris.withQuery(uploadUri, "uploadType", "resumable");
    Transport.Response r = context.transport().send(method, uri, h,
        Transport.Body.of(metadata == null ? new byte[0] : metadata));
    String location = r.header("Location");
    if ((r.status() == 200 || r.status() == 201) && location != null) {
      sessionUri = uri.resolve(location);
      offset = 0;
      sentEnd = 0;
      inErrorState = false;
      notifySession();
      return;
    }
    HttpError error = new HttpError(r.status(), r.text(), method, uri);
    if (Retrier.isRetryable(error)) {
      throw error;
    }
    throw new ResumableUploadError(r.status(), r.text(), method, uri);
  }

  private Transport.Response put(String contentRange, Transport.Body body) throws IOException {
    try {
      return context.transport().send("PUT", sessionUri, Map.of("Content-Range", contentRange),
          body);
    } catch (IOException e) {
      inErrorState = true; // the next attempt asks the server where it stands
      throw e;
    }
  }

  private String query() {
    return "bytes */" + (total >= 0 ? Long.toString(total) : "*");
  }

  /** Acts on a chunk or status response; returns the response JSON once complete. */
  private JsonNode handle(Transport.Response r, long sentEnd) throws IOException {
    switch (r.status()) {
      case 200, 201 -> {
        inErrorState = false;
        String what = "upload to " + Uris.display(sessionUri);
        JsonNode json = context.parse(r, what);
        if (total >= 0) {
          hashUpTo(total); // after a resume the server may hold bytes this process never sent
        }
        if (checksumsComplete && total >= 0 && checksums.length() == total) {
          UploadContext.verify(json, checksums, what);
        }
        response = json;
        offset = total >= 0 ? total : offset;
        return json;
      }
      case 308 -> {
        long acknowledged;
        try {
          acknowledged = Uris.rangeEnd(r.header("Range"));
        } catch (java.net.ProtocolException e) {
          inErrorState = true; // what the server holds is unknown: ask before sending more
          throw e;
        }
        if (acknowledged > sentEnd) {
          throw new ResumableUploadError("the server acknowledges " + acknowledged
              + " bytes but only " + sentEnd + " were sent", 308);
        }
        inErrorState = false;
        offset = acknowledged;
        String location = r.header("Location");
        if (location != null) {
          sessionUri = sessionUri.resolve(location);
        }
        notifySession();
        return null;
      }
      case 404, 410 -> {
        inErrorState = false;
        if (!chunks.restart()) {
          throw new ResumableUploadError("the upload session is gone (" + r.status() + ") and"
              + " the stream cannot be read again from its start", r.status());
        }
        URI lost = sessionUri;
        sessionUri = null; // the next attempt starts a new session from byte 0
        offset = 0;
        sentEnd = 0;
        throw new SessionGoneException(r.status(), r.text(), lost);
      }
      default -> {
        inErrorState = true;
        throw new HttpError(r.status(), r.text(), "PUT", sessionUri);
      }
    }
  }

  private void observe(ByteBuffer bytes, long mediaOffset) {
    long hashed = checksums.length();
    long end = mediaOffset + bytes.remaining();
    if (mediaOffset <= hashed && end > hashed) {
      checksums.update(bytes.duplicate().position(bytes.position() + (int) (hashed - mediaOffset)));
    } else if (mediaOffset > hashed) {
      checksumsComplete = false;
    }
    if (progress != null) {
      progress.onProgress(new MediaUploadProgress(end,
          total < 0 ? OptionalLong.empty() : OptionalLong.of(total)));
    }
  }

  /**
   * Brings the checksums up to {@code offset} before sending from there: after a resume from a
   * saved session the server holds bytes this process never sent, so they are read again (media
   * that cannot be re-read is then simply not verified).
   */
  private void hashUpTo(long offset) throws IOException {
    if (!checksumsComplete || checksums.length() >= offset) {
      return;
    }
    if (!media.isSeekable()) {
      checksumsComplete = false;
      return;
    }
    try (var channel = media.open(checksums.length())) {
      ByteBuffer buffer = ByteBuffer.allocate(ChannelPublisher.BUFFER_SIZE);
      while (checksums.length() < offset) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), offset - checksums.length()));
        if (channel.read(buffer) < 0) {
          throw new MediaSourceException("the media ended before byte " + offset, null);
        }
        checksums.update(buffer.flip());
      }
    } catch (MediaSourceException e) {
      throw e;
    } catch (IOException e) {
      // The source's failure, not the network's: retrying cannot help.
      throw new MediaSourceException("reading the media failed: " + e.getMessage(), e);
    }
  }

  private void notifySession() {
    if (sessionListener != null) {
      sessionListener.accept(session());
    }
  }
}
