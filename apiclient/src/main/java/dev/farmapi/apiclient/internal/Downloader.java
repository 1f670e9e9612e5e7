package dev.farmapi.apiclient.internal;

import dev.farmapi.apiclient.ChecksumMismatchError;
import dev.farmapi.apiclient.DownloadProgressListener;
import dev.farmapi.apiclient.DownloadResult;
import dev.farmapi.apiclient.MediaDownloadProgress;
import dev.farmapi.apiclient.ResumableDownloadError;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ranged, resumable download behind {@code MediaDownload}. Each chunk is one
 * {@link RangeFetcher} attempt run by the {@link Retrier}: an attempt that fails midway keeps the
 * bytes it wrote, and the next asks only for the rest, with {@code If-Range} so that a media that
 * changed meanwhile comes back whole (200) and the download starts over from 0. Bytes are hashed
 * as they reach the sink ({@link ObservingSink}); the last chunk checks them and commits.
 */
public final class Downloader {
  private static final Logger log = LoggerFactory.getLogger(Downloader.class);

  private final UploadContext context;
  private final URI uri;
  private final long chunkSize;
  private final ExpectedChecksums expected;
  private final ObservingSink sink;
  private final DownloadState state;
  private final RangeFetcher fetcher;
  private boolean opened;
  private DownloadResult result;
  private IOException failure;

  /** {@code chunkSize} -1 for one request; {@code listener} may be null. */
  public Downloader(UploadContext context, URI uri, Map<String, String> headers, long chunkSize,
      DownloadProgressListener listener, ExpectedChecksums expected, DownloadSink destination) {
    this.context = context;
    this.uri = uri;
    this.chunkSize = chunkSize;
    this.expected = expected;
    // MD5 costs ~50x the CPU of CRC32C: only when the client asks or the caller expects an MD5
    this.state = new DownloadState(context.verifyMd5() || expected.md5() != null);
    this.sink = new ObservingSink(destination, (bytes, at) -> {
      state.checksums.update(bytes);
      if (listener != null) {
        listener.onProgress(state.progress(at + bytes.remaining()));
      }
    });
    this.fetcher = new RangeFetcher(context, uri, Map.copyOf(headers), sink, state, listener);
  }

  public MediaDownloadProgress progress() {
    return state.progress(state.offset);
  }

  /** The result, once the download is complete; null before. */
  public DownloadResult result() {
    return result;
  }

  /**
   * Downloads the next chunk; the first call opens the destination, the last one verifies and
   * commits it. Returns the result once complete, null while bytes remain.
   */
  public DownloadResult next(int numRetries) throws IOException {
    if (result != null) {
      return result;
    }
    if (failure != null) {
      throw new IllegalStateException("this download failed for good (" + failure.getMessage()
          + "); start a new one", failure);
    }
    try {
      if (!opened) {
        open();
      }
      long end = chunkSize < 0 ? -1 : state.offset + chunkSize;
      context.retrier(numRetries).run("GET " + uri, attempt -> fetcher.fetch(end));
      if (state.atEnd) {
        finish();
      }
    } catch (MediaSourceException e) { // the destination's own failure, never retried
      throw fail((IOException) e.getCause());
    } catch (ChecksumMismatchError | ResumableDownloadError e) {
      throw fail(e);
    } finally {
      release(); // a file is open only while a chunk downloads
    }
    return result;
  }

  private void open() throws IOException {
    state.reset();
    PartialDownload partial = sink.open();
    state.etag = partial.etag();
    state.totalSize = partial.totalSize();
    if (partial.length() > 0) {
      log.info("resuming the download of {} at byte {} (ETag {})", uri, partial.length(),
          state.etag);
      sink.replay(partial.length()); // rehashes what an earlier process wrote
      state.offset = partial.length();
    }
    opened = true;
  }

  private void finish() throws IOException {
    state.totalSize = state.offset;
    Set<String> verified = new LinkedHashSet<>();
    try {
      expected.check(state.checksums, "GET " + uri, verified);
      state.server.check(state.checksums, "GET " + uri, verified);
    } catch (ChecksumMismatchError e) {
      sink.discard();
      throw e;
    }
    try {
      sink.commit();
    } catch (IOException e) {
      throw fail(e);
    }
    if (verified.isEmpty()) {
      log.warn("the download of {} is unverified: no checksum to compare with", uri);
    }
    result = new DownloadResult(state.offset, state.checksums.md5(), state.checksums.crc32c(),
        verified, state.etag);
  }

  private IOException fail(IOException e) {
    failure = e;
    return e;
  }

  private void release() {
    try {
      sink.close();
    } catch (IOException e) {
      log.debug("closing the destination of {} failed: {}", uri, e.toString());
    }
  }
}
