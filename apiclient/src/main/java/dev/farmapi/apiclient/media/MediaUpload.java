package dev.farmapi.apiclient.media;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Bytes to send with an API call, and how to send them: in one request, or resumably in chunks.
 *
 * <p>Three implementations cover files ({@link MediaFileUpload}), channels and streams
 * ({@link MediaStreamUpload}) and byte arrays ({@link MediaInMemoryUpload}). For data made on the
 * fly, implement it yourself: {@link #mimeType()}, {@link #size()} and {@link #open(long)} are
 * all it takes. This one uploads a generated image without ever holding it whole:
 *
 * <pre>{@code
 * final class Mandelbrot implements MediaUpload {
 *   public String mimeType() { return "image/x-portable-graymap"; }
 *   public OptionalLong size() { return OptionalLong.of(HEADER.length + WIDTH * HEIGHT); }
 *   public boolean isResumable() { return true; }
 *   public ReadableByteChannel open(long offset) {
 *     // Regenerate from any offset: a retry or a resume after a crash starts where the
 *     // server's bytes end, so the uploader never has to keep sent bytes around.
 *     return new MandelbrotChannel(offset);
 *   }
 * }
 * }</pre>
 *
 * <p>Implementations are immutable values; the uploader may call {@link #open(long)} many times
 * (every retry and every rewind after a partial chunk), so each call must give the same bytes.
 * A source that cannot do that says so with {@link #isSeekable()} = false: the uploader then reads
 * it once, in order, keeping at most one chunk in memory to resend.
 */
public interface MediaUpload {
  /** Chunk size used unless one is given: 8 MiB, a multiple of the protocol's 256 KiB. */
  long DEFAULT_CHUNK_SIZE = 8L << 20;

  /** The protocol's granularity: every chunk but the last is a multiple of it. */
  long CHUNK_GRANULARITY = 256L * 1024;

  /** The media type, e.g. {@code image/png}. */
  String mimeType();

  /** The number of bytes, or empty when not known in advance (a stream). */
  OptionalLong size();

  /**
   * Bytes per chunk of a resumable upload, or -1 to send everything in one request. For media
   * larger than 256 KiB (or of unknown size) it must be a multiple of 256 KiB.
   */
  default long chunkSize() {
    return DEFAULT_CHUNK_SIZE;
  }

  /** Whether to upload in a resumable session (chunks, resume) rather than in one request. */
  default boolean isResumable() {
    return true;
  }

  /**
   * The bytes from {@code offset} to the end. The caller closes the channel. For a source that
   * is not {@link #isSeekable()}, only one call is made, with the offset where it stands.
   */
  ReadableByteChannel open(long offset) throws IOException;

  /** Whether {@link #open(long)} can be called again, at any offset. */
  default boolean isSeekable() {
    return true;
  }

  /**
   * Identifies these exact bytes across processes, so that an upload saved as a
   * {@link dev.farmapi.apiclient.ResumableSession} is only resumed with the same source. Empty
   * when the source cannot be recognised again (it cannot then be resumed by a new process).
   */
  default Optional<String> fingerprint() {
    return Optional.empty();
  }
}
