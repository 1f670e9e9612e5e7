package dev.farmapi.apiclient.internal;

import dev.farmapi.apiclient.DownloadProgressListener;
import dev.farmapi.apiclient.HttpError;
import dev.farmapi.apiclient.ResumableDownloadError;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a download: asks for the bytes from the state's offset with {@code Range} (and
 * {@code If-Range} once bytes are held), makes sense of the answer, and streams its body into
 * the sink. A body cut short leaves the state at the last byte written, which is where the next
 * attempt asks from. Failures of the sink come out as {@link MediaSourceException}, never
 * retried.
 *
 * <p>The body moves with {@link HttpEngine.Response#transferBodyTo}: our engine reads the socket
 * into its connection's (direct) buffer and the sink writes and hashes from that same buffer, so
 * nothing is allocated or copied per buffer between the socket and the file.
 */
final class RangeFetcher {
  private static final Logger log = LoggerFactory.getLogger(RangeFetcher.class);
  private static final int MAX_ERROR_BYTES = 1 << 16;

  private final UploadContext context;
  private final URI uri;
  private final Map<String, String> headers;
  private final DownloadSink sink;
  private final DownloadState state;
  private final DownloadProgressListener listener;
  private final WritableByteChannel toSink = new SinkChannel();

  RangeFetcher(UploadContext context, URI uri, Map<String, String> headers, DownloadSink sink,
      DownloadState state, DownloadProgressListener listener) {
    this.context = context;
    this.uri = uri;
    this.headers = headers;
    this.sink = sink;
    this.state = state;
    this.listener = listener;
  }

  /** Fetches the bytes from the offset to {@code end} (exclusive; -1: to the media's end). */
  Void fetch(long end) throws IOException {
    if (state.atEnd || (end >= 0 && state.offset >= end)) {
      return null; // a 200 earlier in this chunk brought more than the chunk
    }
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put("Range", "bytes=" + state.offset + "-" + (end < 0 ? "" : String.valueOf(end - 1)));
    if (state.etag != null && state.offset > 0) {
      h.put("If-Range", state.etag);
    }
    try (HttpEngine.Response response =
             context.transport().exchange("GET", uri, h, Transport.Body.EMPTY)) {
      int status = response.status();
      if (status != 200 && status != 206 && status != 416) {
        throw new HttpError(status, text(response.body()), "GET", uri);
      }
      DownloadResponse r = DownloadResponse.of(status, response.headers());
      if (status == 206) {
        partialContent(r, end, response);
      } else if (status == 200) {
        wholeMedia(r, response);
      } else if (r.totalSize() == state.offset) {
        adopt(r); // 416 to bytes=N- of an N-byte media: an earlier process got everything
        state.atEnd = true;
      } else if (r.totalSize() >= 0 && r.totalSize() < state.offset) {
        startOver();
        throw new IOException("the partial download is longer than the media; starting over");
      } else {
        throw new HttpError(status, text(response.body()), "GET", uri);
      }
    }
    return null;
  }

  private void partialContent(DownloadResponse r, long end, HttpEngine.Response body)
      throws IOException {
    if (r.first() != state.offset) {
      throw new ResumableDownloadError("asked for bytes from " + state.offset + ", the server"
          + " sent " + r.first() + "-" + (r.first() + r.length() - 1), 206);
    }
    boolean otherVersion = state.etag != null && r.etag() != null && !state.etag.equals(r.etag());
    boolean otherSize = state.totalSize >= 0 && r.totalSize() >= 0
        && state.totalSize != r.totalSize();
    if (state.offset > 0 && (otherVersion || otherSize)) {
      String change = "ETag " + state.etag + " to " + r.etag() + ", size " + state.totalSize
          + " to " + r.totalSize();
      startOver(); // a server that ignores If-Range; the next attempt asks from 0
      throw new IOException("the media changed during the download (" + change + ");"
          + " starting over");
    }
    adopt(r);
    copy(body, r.length());
    state.atEnd = state.totalSize >= 0
        ? state.offset == state.totalSize
        : end < 0 || state.offset < end; // an unknown total ends with a short answer
  }

  private void wholeMedia(DownloadResponse r, HttpEngine.Response body) throws IOException {
    if (state.offset > 0) {
      log.info("{} came back whole after {} bytes: it changed, or the server ignores ranges;"
          + " starting over", uri, state.offset);
      startOver();
    }
    adopt(r);
    copy(body, r.length());
    state.totalSize = state.offset;
    state.atEnd = true;
  }

  /** Takes the answer's version, size and checksums, and records them before its bytes. */
  private void adopt(DownloadResponse r) throws IOException {
    state.etag = r.etag() != null ? r.etag() : state.etag;
    state.totalSize = r.totalSize() >= 0 ? r.totalSize() : state.totalSize;
    state.server = state.server.updatedBy(new ExpectedChecksums(r.md5(), r.crc32c()));
    if (state.server.crc32c() == null && state.server.md5() != null
        && !state.checksums.hasMd5()) {
      local(this::computeMd5Too);
    }
    PartialDownload version = new PartialDownload(null, state.etag, state.totalSize, 0);
    local(() -> sink.remember(version));
  }

  /**
   * A server that vouches for its bytes with an MD5 only gets MD5 computed, although the client
   * did not ask for it: CRC32C alone would leave nothing to compare. The bytes already held are
   * read back from the destination and hashed first; a stream cannot give them back, so its
   * download can then only end unverified.
   */
  private void computeMd5Too() throws IOException {
    Checksums both = new Checksums(true);
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(1 << 16, Math.max(1, state.offset)));
    long left = state.offset;
    try (ReadableByteChannel held = sink.readBack()) {
      while (left > 0) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), left));
        int n = held.read(buffer);
        if (n < 0) {
          return;
        }
        both.update(buffer.flip());
        left -= n;
      }
    }
    log.debug("{} is vouched for by MD5 only: computing MD5 too", uri);
    state.checksums = both;
  }

  private void startOver() throws IOException {
    local(sink::restart);
    state.reset();
    if (listener != null) {
      listener.onProgress(state.progress(0));
    }
  }

  /** Streams {@code length} bytes (-1: to the end) of the body to the sink. */
  private void copy(HttpEngine.Response body, long length) throws IOException {
    long remaining = length < 0 ? Long.MAX_VALUE : length;
    while (remaining > 0) {
      long n = body.transferBodyTo(toSink, remaining);
      if (n < 0) {
        if (length < 0) {
          return;
        }
        throw new EOFException("the response ended " + remaining + " bytes short, at byte "
            + state.offset + " of " + uri);
      }
      remaining -= n;
    }
  }

  /**
   * The sink as the engine's target: each write appends (and so hashes) a buffer of the body and
   * moves the offset past it; a failure is the destination's, never retried.
   */
  private final class SinkChannel implements WritableByteChannel {
    @Override
    public int write(ByteBuffer bytes) throws IOException {
      int n = bytes.remaining();
      try {
        sink.write(bytes);
      } catch (ResumableDownloadError | MediaSourceException e) {
        throw e;
      } catch (IOException e) {
        throw new MediaSourceException("the download's destination failed: " + e, e);
      }
      state.offset += n;
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {
      // the sink is the downloader's
    }
  }

  private static String text(InputStream body) {
    try {
      return new String(body.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return ""; // the status is what matters
    }
  }

  /** Runs a step on the destination: its failures are not the network's, so not retried. */
  private static void local(LocalStep step) throws IOException {
    try {
      step.run();
    } catch (ResumableDownloadError e) {
      throw e;
    } catch (IOException e) {
      throw new MediaSourceException("the download's destination failed: " + e, e);
    }
  }

  private interface LocalStep {
    void run() throws IOException;
  }
}
