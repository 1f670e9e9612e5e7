package dev.farmapi.apiclient.media;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A file to upload. The type is guessed from the name unless given; uploads are sent in one
 * request unless made {@link #resumable()}. Bytes stream from the file for every chunk and
 * every retry, so memory use does not grow with the file or the chunk size.
 *
 * <pre>{@code
 * MediaFileUpload media = MediaFileUpload.of(Path.of("pig.png"))
 *     .withMimeType("image/png").withChunkSize(1 << 20).resumable();
 * }</pre>
 */
public final class MediaFileUpload implements MediaUpload {
  private final Path path;
  private final String mimeType;
  private final long chunkSize;
  private final boolean resumable;
  private final long size;
  private final long modifiedMillis;

  private MediaFileUpload(Path path, String mimeType, long chunkSize, boolean resumable,
      long size, long modifiedMillis) {
    this.path = path;
    this.mimeType = Objects.requireNonNull(mimeType, "mimeType");
    this.chunkSize = ChunkSizes.check(chunkSize, OptionalLong.of(size));
    this.resumable = resumable;
    this.size = size;
    this.modifiedMillis = modifiedMillis;
  }

  /**
   * The file at {@code path}, as it is now: its size and modification time are read here, and an
   * upload fails rather than send a file that changed since.
   */
  public static MediaFileUpload of(Path path) throws IOException {
    long size = Files.size(path);
    long modified = Files.getLastModifiedTime(path).toMillis();
    return new MediaFileUpload(path.toAbsolutePath(), MimeTypes.guess(path), DEFAULT_CHUNK_SIZE,
        false, size, modified);
  }

  public MediaFileUpload withMimeType(String type) {
    return new MediaFileUpload(path, type, chunkSize, resumable, size, modifiedMillis);
  }

  /** A copy with another chunk size; -1 sends the whole file in one request of the session. */
  public MediaFileUpload withChunkSize(long bytes) {
    return new MediaFileUpload(path, mimeType, bytes, resumable, size, modifiedMillis);
  }

  /** A copy that uploads in a resumable session. */
  public MediaFileUpload resumable() {
    return withResumable(true);
  }

  public MediaFileUpload withResumable(boolean value) {
    return new MediaFileUpload(path, mimeType, chunkSize, value, size, modifiedMillis);
  }

  public Path path() {
    return path;
  }

  @Override
  public String mimeType() {
    return mimeType;
  }

  @Override
  public OptionalLong size() {
    return OptionalLong.of(size);
  }

  @Override
  public long chunkSize() {
    return chunkSize;
  }

  @Override
  public boolean isResumable() {
    return resumable;
  }

  @Override
  public ReadableByteChannel open(long offset) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      if (channel.size() != size || Files.getLastModifiedTime(path).toMillis() != modifiedMillis) {
        throw new IOException(path + " changed since the upload began (it was " + size
            + " bytes); start a new upload");
      }
      return channel.position(offset);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public Optional<String> fingerprint() {
    return Optional.of("file:" + path + ":" + size + ":" + modifiedMillis);
  }

  @Override
  public String toString() {
    return "MediaFileUpload{" + path + ", " + mimeType + ", " + size + " bytes}";
  }
}
