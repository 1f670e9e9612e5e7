package dev.farmapi.apiclient;

import dev.farmapi.apiclient.internal.DownloadSink;
import dev.farmapi.apiclient.internal.Downloader;
import dev.farmapi.apiclient.internal.ExpectedChecksums;
import dev.farmapi.apiclient.internal.FileDownloadSink;
import dev.farmapi.apiclient.internal.StreamDownloadSink;
import dev.farmapi.apiclient.internal.UploadContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A ranged, resumable download of media ({@code ?alt=media}) to a file or a stream, as Python's
 * {@code MediaIoBaseDownload}, with what it lacks: retries that resume, resume after the process
 * died, checksums, and constant memory.
 *
 * <pre>{@code
 * MediaDownload download = MediaDownload.to(Path.of("pig.png"), client, mediaUri)
 *     .withChunkSize(1 << 20);
 * DownloadChunk chunk;
 * do {
 *   chunk = download.nextChunk();
 *   System.out.printf("Download %d%%.%n", (int) (chunk.progress().progress() * 100));
 * } while (!chunk.isDone());
 * }</pre>
 * or just {@code MediaDownload.to(file, client, mediaUri).execute()}.
 *
 * <p><b>Chunks.</b> Each {@link #nextChunk()} asks for the next {@code chunkSize} bytes with
 * {@code Range: bytes=A-B} (default 8 MiB; -1 asks for everything at once) and learns the total
 * from {@code Content-Range}, or from {@code Content-Length} when the server answers 200.
 *
 * <p><b>Retries.</b> A chunk is retried as the client's {@link RetryPolicy} allows, on dropped
 * connections, on responses that stop or stall for the client's idle timeout, and on 5xx, 408
 * and 429. A retry asks only for the bytes still missing, with {@code If-Range: <ETag>}: no byte
 * is downloaded or written twice. If the media changed meanwhile, the server sends it whole
 * (200) and the download starts over from 0: a file is truncated; a stream that already got
 * bytes cannot be, and the download fails with a {@link ResumableDownloadError}.
 *
 * <p><b>Files, and resume after the process died.</b> The bytes go to {@code FILE.part}, with a
 * small JSON sidecar {@code FILE.part.json} naming the media's URI, ETag and size (written once
 * the partial file is about to hold 64 KiB: fetching less again costs less than recording it,
 * for each of many small files); only when the
 * media is complete and its checksums match is {@code FILE.part} renamed (atomically) to
 * {@code FILE}, replacing any old one, and the sidecar deleted. A later {@code MediaDownload} to
 * the same file of the same URI continues from the partial file's length, after rehashing its
 * bytes, with {@code If-Range} so that a media that changed since starts over; a partial file
 * without a sidecar, or of a media without a strong ETag, starts over. The partial file is open
 * and locked only while a chunk downloads, so a download abandoned between chunks holds nothing,
 * and two downloads cannot interleave their bytes; one that finds the partial file changed by
 * someone else between its chunks fails rather than write after foreign bytes.
 *
 * <p><b>Verification.</b> CRC32C is computed over the whole media as it is written, and MD5
 * too when the client {@linkplain ApiClient.Builder#verifyMd5 verifies MD5}, the caller
 * expects an MD5, or the server vouches with an MD5 only (no CRC32C in {@code X-Goog-Hash}: the
 * bytes a file already holds are then read back and hashed); they are compared with the server's {@code X-Goog-Hash} and with the
 * checksums the caller expects ({@link #withExpectedMd5}, {@link #withExpectedCrc32c}); any
 * mismatch is a
 * {@link ChecksumMismatchError}, and the partial file is deleted, never moved into place (a
 * stream has the bytes already: the exception says not to trust them). When there is nothing to
 * compare with, the download completes with {@link DownloadResult#verified()} false.
 *
 * <p>Memory is constant: the body streams to the destination through one 64 KiB buffer. A
 * download is stateful and not thread-safe; the {@code with...} methods return a new download
 * and may only be called before the first chunk. After a failure that retries could not
 * overcome (the network, an error status), {@link #nextChunk()} can be called again and goes on
 * from where the download stands; after a checksum mismatch, a failing destination or a
 * {@link ResumableDownloadError}, the download is over: further calls throw
 * {@link IllegalStateException}, and a new download of a file continues from its partial file
 * (which a checksum mismatch deleted).
 */
public final class MediaDownload {
  /**
   * 8 MiB per request. Python's default is 100 MiB, each chunk held in memory; here a chunk only
   * sets how much one request asks for, since bytes stream straight to the destination.
   */
  public static final long DEFAULT_CHUNK_SIZE = 8L << 20;
  private static final Set<String> OWN_HEADERS = Set.of("range", "if-range");

  private final UploadContext context;
  private final URI uri;
  private final Path file;
  private final Supplier<DownloadSink> destination;
  private final long chunkSize;
  private final Map<String, String> headers;
  private final DownloadProgressListener listener;
  private final ExpectedChecksums expected;
  private Downloader downloader; // from the first chunk on

  private MediaDownload(UploadContext context, URI uri, Path file,
      Supplier<DownloadSink> destination, long chunkSize, Map<String, String> headers,
      DownloadProgressListener listener, ExpectedChecksums expected) {
    this.context = context;
    this.uri = uri;
    this.file = file;
    this.destination = destination;
    this.chunkSize = chunkSize;
    this.headers = Map.copyOf(headers);
    this.listener = listener;
    this.expected = expected;
  }

  /** A download of {@code mediaUri} into {@code file}, resumable across processes. */
  public static MediaDownload to(Path file, ApiClient client, URI mediaUri) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(mediaUri, "mediaUri");
    return new MediaDownload(client.context(), mediaUri, file,
        () -> FileDownloadSink.of(file, mediaUri.toString()), DEFAULT_CHUNK_SIZE, Map.of(), null,
        ExpectedChecksums.NONE);
  }

  /** A download of {@code mediaUri} into {@code out}, which is flushed at the end, not closed. */
  public static MediaDownload to(OutputStream out, ApiClient client, URI mediaUri) {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(mediaUri, "mediaUri");
    return new MediaDownload(client.context(), mediaUri, null, () -> StreamDownloadSink.of(out),
        DEFAULT_CHUNK_SIZE, Map.of(), null, ExpectedChecksums.NONE);
  }

  /** Bytes per request: positive, or -1 for the whole media in one request. */
  public MediaDownload withChunkSize(long size) {
    if (size <= 0 && size != -1) {
      throw new InvalidChunkSizeError(size, "must be positive, or -1 for one request");
    }
    return copy(size, headers, listener, expected);
  }

  /** Told about bytes as they reach the destination. */
  public MediaDownload withProgressListener(DownloadProgressListener l) {
    return copy(chunkSize, headers, Objects.requireNonNull(l, "listener"), expected);
  }

  /**
   * A header sent with every request of the download (e.g. {@code x-retry-test-id});
   * {@code Range} and {@code If-Range} are the download's own.
   */
  public MediaDownload withHeader(String name, String value) {
    if (OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(name + " is set by the download itself");
    }
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, Objects.requireNonNull(value, "value"));
    return copy(chunkSize, h, listener, expected);
  }

  /**
   * The MD5 the media must have, base64 (as {@code md5Hash}); this download then computes MD5
   * even if the client does not {@linkplain ApiClient.Builder#verifyMd5 verify MD5}, and also
   * compares it with the server's.
   */
  public MediaDownload withExpectedMd5(String base64) {
    return copy(chunkSize, headers, listener,
        expected.withMd5(Objects.requireNonNull(base64, "md5")));
  }

  /** The CRC32C the media must have, base64 big-endian (as {@code crc32c}). */
  public MediaDownload withExpectedCrc32c(String base64) {
    return copy(chunkSize, headers, listener,
        expected.withCrc32c(Objects.requireNonNull(base64, "crc32c")));
  }

  /** Downloads the next chunk, retrying as the client's {@link RetryPolicy} allows. */
  public DownloadChunk nextChunk() throws IOException {
    return nextChunk(context.retryPolicy().maxRetries());
  }

  /**
   * Downloads the next chunk, retrying failed requests up to {@code numRetries} times; each
   * retry resumes where the bytes stop. The chunk that completes the media also verifies it and,
   * for a file, moves it into place. Once done, returns the same last chunk again.
   */
  public DownloadChunk nextChunk(int numRetries) throws IOException {
    if (downloader == null) {
      downloader = new Downloader(context, uri, headers, chunkSize, listener, expected,
          destination.get());
    }
    DownloadResult result = downloader.next(numRetries);
    return result == null
        ? DownloadChunk.inProgress(downloader.progress())
        : DownloadChunk.done(downloader.progress(), result);
  }

  /** Downloads everything that remains, with the client's retry policy. */
  public DownloadResult execute() throws IOException {
    return execute(context.retryPolicy().maxRetries());
  }

  /** Downloads everything that remains, each chunk retried up to {@code numRetries} times. */
  public DownloadResult execute(int numRetries) throws IOException {
    DownloadChunk chunk;
    do {
      chunk = nextChunk(numRetries);
    } while (!chunk.isDone());
    return chunk.result().orElseThrow();
  }

  /** How far the download has come (nothing before the first chunk). */
  public MediaDownloadProgress progress() {
    return downloader == null
        ? new MediaDownloadProgress(0, OptionalLong.empty())
        : downloader.progress();
  }

  /** Whether the media is complete, verified and in place. */
  public boolean isDone() {
    return downloader != null && downloader.result() != null;
  }

  /** The media's URI. */
  public URI uri() {
    return uri;
  }

  /** Bytes per request, or -1 for one request. */
  public long chunkSize() {
    return chunkSize;
  }

  /**
   * The bytes a download into a file will continue from: those of a partial file an earlier
   * (possibly dead) process left for this same media; 0 when it will start from the beginning,
   * and always 0 for a stream. Read only, before the first chunk, to tell the user.
   */
  public long resumableBytes() {
    return file == null ? 0 : FileDownloadSink.resumableBytes(file, uri.toString());
  }

  /** For a download into a file: where its bytes wait until complete ({@code FILE.part}). */
  public Optional<Path> partialFile() {
    return Optional.ofNullable(file).map(FileDownloadSink::partFile);
  }

  private MediaDownload copy(long size, Map<String, String> h, DownloadProgressListener l,
      ExpectedChecksums checksums) {
    if (downloader != null) {
      throw new IllegalStateException("configure a download before its first chunk");
    }
    return new MediaDownload(context, uri, file, destination, size, h, l, checksums);
  }
}
