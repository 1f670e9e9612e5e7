package dev.farmapi.apiclient.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A {@code multipart/related} body (RFC 2387, CRLF framing): the JSON metadata, then the media,
 * streamed from its channel between the two framing texts, never assembled in memory.
 */
final class MultipartBody {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String boundary;
  private final byte[] head;
  private final byte[] tail;

  MultipartBody(byte[] json, String mediaType) {
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    // 128 random bits: the odds of the media containing the delimiter are nil.
    this.boundary = "farmapi_" + HexFormat.of().formatHex(random);
    this.head = concat(("--" + boundary + "\r\n"
        + "Content-Type: application/json; charset=UTF-8\r\n\r\n").getBytes(StandardCharsets.UTF_8),
        json,
        ("\r\n--" + boundary + "\r\n" + "Content-Type: " + mediaType + "\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    this.tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
  }

  String contentType() {
    return "multipart/related; boundary=" + boundary;
  }

  /** The body's length for media of {@code mediaLength} bytes; -1 when that is unknown. */
  long length(long mediaLength) {
    return mediaLength < 0 ? -1 : head.length + mediaLength + tail.length;
  }

  /** The body: head, the media channel, tail. */
  ReadableByteChannel open(ReadableByteChannel media) {
    return new Framed(new ByteArrayChannel(head), media, new ByteArrayChannel(tail));
  }

  /**
   * The three parts in turn; a {@link DirectChannel} when the media is one, so a file's bytes
   * still go by {@code transferTo} between the framing texts.
   */
  private static final class Framed implements DirectChannel {
    private final ReadableByteChannel[] parts;
    private final DirectChannel media;
    private int part;

    Framed(ReadableByteChannel head, ReadableByteChannel media, ReadableByteChannel tail) {
      this.parts = new ReadableByteChannel[] {head, media, tail};
      this.media = DirectChannel.of(media);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      while (part < parts.length) {
        int n = parts[part].read(dst);
        if (n >= 0) {
          return n;
        }
        part++;
      }
      return -1;
    }

    @Override
    public boolean isDirect() {
      return media != null;
    }

    @Override
    public long writeTo(WritableByteChannel target, long max, ByteBuffer scratch)
        throws IOException {
      while (part < parts.length) {
        long n;
        if (part == 1) {
          n = media.writeTo(target, max, scratch);
        } else {
          scratch.clear().limit((int) Math.min(scratch.capacity(), max));
          n = parts[part].read(scratch);
          scratch.flip();
          while (scratch.hasRemaining()) {
            target.write(scratch);
          }
        }
        if (n >= 0) {
          return n;
        }
        part++;
      }
      return -1;
    }

    @Override
    public boolean isOpen() {
      return part < parts.length;
    }

    @Override
    public void close() throws IOException {
      parts[1].close();
    }
  }

  private static byte[] concat(byte[]... arrays) {
    int length = 0;
    for (byte[] a : arrays) {
      length += a.length;
    }
    ByteBuffer all = ByteBuffer.allocate(length);
    for (byte[] a : arrays) {
      all.put(a);
    }
    return all.array();
  }
}
