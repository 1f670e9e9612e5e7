package dev.farmapi.apiclient.discovery;

import dev.farmapi.apiclient.MediaUploadSizeError;
import dev.farmapi.apiclient.UnacceptableMimeTypeError;
import dev.farmapi.apiclient.discovery.MethodSpec.MediaUploadSpec;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.media.MediaUpload;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The media of a call, checked against the method's {@code mediaUpload} as the Python client
 * checks {@code media_body}: a file name has its type guessed (or taken from
 * {@code media_mime_type}) and matched against {@code accept}; any media of known size is held
 * to {@code maxSize}.
 */
final class MediaBody {
  private MediaBody() {}

  /**
   * The media to send, or null when the call has none.
   *
   * @param media a {@link MediaUpload} given as is, or null
   * @param file a file given by name, or null
   * @param mimeType the type for {@code file}, or null to guess it
   */
  static MediaUpload resolve(MethodSpec method, MediaUpload media, Path file, String mimeType)
      throws IOException {
    if (mimeType != null && file == null) {
      // Python ignores media_mime_type here; saying so beats sending another type than asked.
      throw new IllegalArgumentException(method.id() + ": mediaMimeType applies to"
          + " mediaBody(Path); give a MediaUpload its type itself (withMimeType)");
    }
    if (media == null && file == null) {
      return null;
    }
    MediaUploadSpec spec = method.mediaUpload();
    MediaUpload upload = media;
    if (file != null) {
      MediaFileUpload fileUpload = MediaFileUpload.of(file);
      if (mimeType != null) {
        fileUpload = fileUpload.withMimeType(mimeType);
      }
      // Only a file name is checked, as in Python: a MediaUpload's type is its author's choice,
      // and the server has the last word (415).
      if (!MediaRanges.accepts(spec.accept(), fileUpload.mimeType())) {
        throw new UnacceptableMimeTypeError(fileUpload.mimeType(), spec.accept());
      }
      upload = fileUpload;
    }
    long max = spec.maxSize();
    if (max > 0 && upload.size().isPresent() && upload.size().getAsLong() > max) {
      throw new MediaUploadSizeError(upload.size().getAsLong(), max);
    }
    return upload;
  }
}
