package dev.farmapi.apiclient.media;

import dev.farmapi.apiclient.internal.ByteArrayChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * Bytes in memory to upload. The array is not copied: do not change it while it uploads. Sent in
 * one request unless made {@link #resumable()}.
 */
public final class MediaInMemoryUpload implements MediaUpload {
  private final byte[] bytes;
  private final String mimeType;
  private final long chunkSize;
  private final boolean resumable;

  private MediaInMemoryUpload(byte[] bytes, String mimeType, long chunkSize, boolean resumable) {
    this.bytes = Objects.requireNonNull(bytes, "bytes");
    this.mimeType = Objects.requireNonNull(mimeType, "mimeType");
    this.chunkSize = ChunkSizes.check(chunkSize, OptionalLong.of(bytes.length));
    this.resumable = resumable;
  }

  public static MediaInMemoryUpload of(byte[] bytes, String mimeType) {
    return new MediaInMemoryUpload(bytes, mimeType, DEFAULT_CHUNK_SIZE, false);
  }

  public MediaInMemoryUpload withChunkSize(long bytes) {
    return new MediaInMemoryUpload(this.bytes, mimeType, bytes, resumable);
  }

  public MediaInMemoryUpload resumable() {
    return withResumable(true);
  }

  public MediaInMemoryUpload withResumable(boolean value) {
    return new MediaInMemoryUpload(bytes, mimeType, chunkSize, value);
  }

  @Override
  public String mimeType() {
    return mimeType;
  }

  @Override
  public OptionalLong size() {
    return OptionalLong.of(bytes.length);
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
  public ReadableByteChannel open(long offset) {
    int from = (int) Math.min(offset, bytes.length);
    return new ByteArrayChannel(bytes, from, bytes.length - from);
  }

  @Override
  public Optional<String> fingerprint() {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return Optional.of("bytes:" + bytes.length + ":" + Long.toHexString(crc.getValue()));
  }
}
