package dev.farmapi.apiclient.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Media from a channel or a stream, the Java counterpart of Python's {@code MediaIoBaseUpload}.
 *
 * <ul>
 *   <li>Over a {@link SeekableByteChannel}: the bytes from its current position to its end. It
 *       is re-read for retries, so memory stays constant, as for a file.
 *   <li>Over an {@link InputStream}: read once, in order, of unknown size unless given with
 *       {@link #withSize}. A resumable upload keeps at most one chunk in memory to resend after a
 *       failure; an upload in one request can be retried only before it has read anything.
 * </ul>
 *
 * <p>The channel or stream belongs to the caller, who closes it after the upload.
 */
public final class MediaStreamUpload implements MediaUpload {
  private final SeekableByteChannel channel; // null for a stream
  private final long start;
  private final InputStream stream; // null for a channel
  private final AtomicLong consumed; // how far the stream has been read, shared by copies
  private final String mimeType;
  private final long chunkSize;
  private final boolean resumable;
  private final OptionalLong size;

  private MediaStreamUpload(SeekableByteChannel channel, long start, InputStream stream,
      AtomicLong consumed, String mimeType, long chunkSize, boolean resumable, OptionalLong size) {
    this.channel = channel;
    this.start = start;
    this.stream = stream;
    this.consumed = consumed;
    this.mimeType = Objects.requireNonNull(mimeType, "mimeType");
    this.chunkSize = ChunkSizes.check(chunkSize, size);
    this.resumable = resumable;
    this.size = size;
  }

  /** The channel's bytes from its current position; reads its size and position now. */
  public static MediaStreamUpload of(SeekableByteChannel channel, String mimeType)
      throws IOException {
    long start = channel.position();
    return new MediaStreamUpload(channel, start, null, null, mimeType, DEFAULT_CHUNK_SIZE, false,
        OptionalLong.of(channel.size() - start));
  }

  /** The stream's bytes, of unknown size. */
  public static MediaStreamUpload of(InputStream stream, String mimeType) {
    return new MediaStreamUpload(null, 0, Objects.requireNonNull(stream, "stream"),
        new AtomicLong(), mimeType, DEFAULT_CHUNK_SIZE, false, OptionalLong.empty());
  }

  /** A copy that declares the stream's size in advance. */
  public MediaStreamUpload withSize(long bytes) {
    if (channel != null) {
      throw new IllegalStateException("a channel's size is known already");
    }
    return new MediaStreamUpload(null, 0, stream, consumed, mimeType, chunkSize, resumable,
        OptionalLong.of(bytes));
  }

  public MediaStreamUpload withChunkSize(long bytes) {
    return new MediaStreamUpload(channel, start, stream, consumed, mimeType, bytes, resumable, size);
  }

  public MediaStreamUpload resumable() {
    return withResumable(true);
  }

  public MediaStreamUpload withResumable(boolean value) {
    return new MediaStreamUpload(channel, start, stream, consumed, mimeType, chunkSize, value, size);
  }

  @Override
  public String mimeType() {
    return mimeType;
  }

  @Override
  public OptionalLong size() {
    return size;
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
  public boolean isSeekable() {
    return channel != null;
  }

  @Override
  public ReadableByteChannel open(long offset) throws IOException {
    if (channel != null) {
      channel.position(start + offset);
      return new Borrowed(channel);
    }
    if (offset != consumed.get()) {
      throw new IOException("cannot re-read a stream from byte " + offset + "; it has been read"
          + " up to byte " + consumed.get());
    }
    return new Borrowed(Channels.newChannel(stream)) {
      @Override
      public int read(ByteBuffer dst) throws IOException {
        int n = super.read(dst);
        if (n > 0) {
          consumed.addAndGet(n);
        }
        return n;
      }
    };
  }

  /** A view that leaves the caller's channel or stream open when closed. */
  private static class Borrowed implements ReadableByteChannel {
    private final ReadableByteChannel source;
    private boolean open = true;

    Borrowed(ReadableByteChannel source) {
      this.source = source;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return source.read(dst);
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }
}
