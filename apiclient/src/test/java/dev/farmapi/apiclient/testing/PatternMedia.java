package dev.farmapi.apiclient.testing;

import dev.farmapi.apiclient.media.MediaUpload;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Media made on the fly, as the {@link MediaUpload} javadoc suggests users write it: a
 * deterministic pattern that can be generated from any offset, so it is never held whole and a
 * retry or a resume simply regenerates from where the server's bytes end.
 */
public final class PatternMedia implements MediaUpload {
  private final long size;
  private final long chunkSize;
  private final List<Long> opens = new CopyOnWriteArrayList<>();

  public PatternMedia(long size, long chunkSize) {
    this.size = size;
    this.chunkSize = chunkSize;
  }

  /** The byte at {@code offset}: mixes all of the offset's bytes, so a shifted copy differs. */
  public static byte at(long offset) {
    long x = offset * 0x9E3779B97F4A7C15L;
    return (byte) (x >>> 56 ^ x >>> 29 ^ offset);
  }

  /** The whole pattern, for comparison in tests. */
  public byte[] bytes() {
    byte[] all = new byte[Math.toIntExact(size)];
    for (int i = 0; i < all.length; i++) {
      all[i] = at(i);
    }
    return all;
  }

  /** The offsets the uploader opened the media at, in order. */
  public List<Long> opens() {
    return opens;
  }

  @Override
  public String mimeType() {
    return "application/octet-stream";
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
  public Optional<String> fingerprint() {
    return Optional.of("pattern:v1:" + size);
  }

  @Override
  public ReadableByteChannel open(long offset) {
    opens.add(offset);
    return new ReadableByteChannel() {
      long position = offset;
      boolean open = true;

      @Override
      public int read(ByteBuffer dst) {
        if (position >= size) {
          return -1;
        }
        int n = (int) Math.min(dst.remaining(), size - position);
        for (int i = 0; i < n; i++) {
          dst.put(at(position++));
        }
        return n;
      }

      @Override
      public boolean isOpen() {
        return open;
      }

      @Override
      public void close() {
        open = false;
      }
    };
  }
}
