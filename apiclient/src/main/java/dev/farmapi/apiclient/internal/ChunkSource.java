package dev.farmapi.apiclient.internal;

import dev.farmapi.apiclient.ResumableUploadError;
import dev.farmapi.apiclient.media.MediaUpload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Where the bytes of each chunk come from. Media of known size that can be re-read is read again
 * from the source for every chunk and every resend, holding nothing; anything else (a stream, or
 * media of unknown size) is read once into a buffer of one chunk (plus one byte to see the end
 * coming), which is what a resend after a failure draws on.
 */
abstract class ChunkSource {

  /** The bytes to send from {@code offset}: the chunk's length, whether it is the last, the total. */
  record Chunk(long offset, long length, boolean last, long total, Transport.Source bytes) {}

  abstract Chunk chunk(long offset) throws IOException;

  /** Prepares to send everything again from byte 0 (the session was lost); false if impossible. */
  abstract boolean restart() throws IOException;

  static ChunkSource of(MediaUpload media) {
    if (media.isSeekable() && media.size().isPresent()) {
      return new Reread(media);
    }
    if (media.chunkSize() <= 0) {
      throw new IllegalArgumentException("media of unknown size needs a positive chunk size"
          + " (a multiple of 256 KiB) to be uploaded resumably");
    }
    return new Buffered(media);
  }

  /** Re-reads the source for every chunk. */
  private static final class Reread extends ChunkSource {
    private final MediaUpload media;
    private final long size;

    Reread(MediaUpload media) {
      this.media = media;
      this.size = media.size().getAsLong();
    }

    @Override
    Chunk chunk(long offset) {
      long left = size - offset;
      long length = media.chunkSize() < 0 ? left : Math.min(media.chunkSize(), left);
      return new Chunk(offset, length, offset + length == size, size, () -> media.open(offset));
    }

    @Override
    boolean restart() {
      return true;
    }
  }

  /** Reads the source once, keeping the current chunk for resends. */
  private static final class Buffered extends ChunkSource {
    private final MediaUpload media;
    private final int chunkSize;
    private byte[] buffer; // [0, length) holds the source's bytes from start
    private long start;
    private int length;
    private boolean ended;
    private ReadableByteChannel channel;

    Buffered(MediaUpload media) {
      if (media.chunkSize() > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("a chunk buffered in memory must be under 2 GiB");
      }
      this.media = media;
      this.chunkSize = (int) media.chunkSize();
    }

    @Override
    Chunk chunk(long offset) throws IOException {
      if (offset < start || offset > start + length) {
        if (!media.isSeekable()) {
          throw new ResumableUploadError("the server needs the stream from byte " + offset
              + " but only bytes " + start + " to " + (start + length) + " are still held", 0);
        }
        reopenAt(offset);
      }
      int drop = (int) (offset - start); // bytes the server has: never needed again
      System.arraycopy(buffer(), drop, buffer, 0, length - drop);
      start = offset;
      length -= drop;
      fill();
      boolean last = ended;
      int size = last ? length : chunkSize; // the extra byte read to see the end stays for later
      byte[] held = buffer;
      Transport.Source bytes = () -> new ByteArrayChannel(held, 0, size);
      return new Chunk(offset, size, last, last ? start + length : -1, bytes);
    }

    @Override
    boolean restart() throws IOException {
      if (start == 0) {
        return true; // everything since byte 0 is still in the buffer
      }
      if (!media.isSeekable()) {
        return false;
      }
      reopenAt(0);
      return true;
    }

    /** Reads until the buffer holds one chunk and one byte more, or the source ends. */
    private void fill() throws IOException {
      if (channel == null && !ended) {
        channel = open(start + length);
      }
      ByteBuffer free = ByteBuffer.wrap(buffer(), length, buffer.length - length);
      while (!ended && free.hasRemaining()) {
        int n;
        try {
          n = channel.read(free);
        } catch (IOException e) {
          throw new MediaSourceException("reading the media failed: " + e.getMessage(), e);
        }
        if (n < 0) {
          ended = true;
          channel.close();
        }
      }
      length = free.position();
    }

    private void reopenAt(long offset) throws IOException {
      if (channel != null) {
        channel.close();
      }
      channel = open(offset);
      start = offset;
      length = 0;
      ended = false;
    }

    /** The source's failure to open is the source's, not the network's: not retried. */
    private ReadableByteChannel open(long offset) throws MediaSourceException {
      try {
        return media.open(offset);
      } catch (IOException e) {
        throw new MediaSourceException("opening the media failed: " + e.getMessage(), e);
      }
    }

    private byte[] buffer() {
      if (buffer == null) {
        buffer = new byte[chunkSize + 1];
      }
      return buffer;
    }
  }
}
