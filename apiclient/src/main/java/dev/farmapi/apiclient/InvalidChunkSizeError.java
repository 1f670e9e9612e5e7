package dev.farmapi.apiclient;

/**
 * A chunk size the protocol cannot use: not positive (other than -1, one chunk), or not a
 * multiple of 256 KiB for media over 256 KiB. A programming error, so unchecked.
 */
public final class InvalidChunkSizeError extends IllegalArgumentException {
  public InvalidChunkSizeError(long chunkSize, String rule) {
    super("invalid chunk size " + chunkSize + ": " + rule);
  }
}
