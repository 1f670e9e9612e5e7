package dev.farmapi.apiclient;

/** The media is larger than the method accepts (its discovery document's {@code maxSize}). */
public final class MediaUploadSizeError extends IllegalArgumentException {
  public MediaUploadSizeError(long size, long maxSize) {
    super("media of " + size + " bytes is larger than this method's maximum of " + maxSize
        + " bytes");
  }
}
