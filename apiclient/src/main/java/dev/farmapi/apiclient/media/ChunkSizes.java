package dev.farmapi.apiclient.media;

import dev.farmapi.apiclient.InvalidChunkSizeError;
import java.util.OptionalLong;

/** The chunk-size rule, checked where media is made rather than halfway through an upload. */
final class ChunkSizes {
  private ChunkSizes() {}

  /**
   * -1 (one chunk) is always fine; media of at most 256 KiB may use any positive size; anything
   * larger, or of unknown size, needs a positive multiple of 256 KiB.
   */
  static long check(long chunkSize, OptionalLong size) {
    if (chunkSize == -1) {
      return chunkSize;
    }
    if (chunkSize <= 0) {
      throw new InvalidChunkSizeError(chunkSize, "must be positive, or -1 for one chunk");
    }
    boolean small = size.isPresent() && size.getAsLong() <= MediaUpload.CHUNK_GRANULARITY;
    if (!small && chunkSize % MediaUpload.CHUNK_GRANULARITY != 0) {
      throw new InvalidChunkSizeError(chunkSize,
          "must be a multiple of 262144 (256 KiB) for media over 256 KiB or of unknown size");
    }
    return chunkSize;
  }
}
