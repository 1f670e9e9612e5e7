package dev.farmapi.apiclient.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of responses on one connection: lines for heads and chunk sizes, bounded in length,
 * and raw reads for bodies, which take what is buffered first and then read the socket straight
 * into the caller's array.
 */
final class Http1Input {
  private final InputStream in;
  private final ReadableByteChannel channel; // null: reads only through the stream
  private final byte[] buffer;
  private int position;
  private int limit;

  Http1Input(InputStream in, int bufferSize) {
    this(in, null, bufferSize);
  }

  /**
   * {@code channel}: the stream's own channel (plain HTTP), from which {@link #read(ByteBuffer)}
   * fills direct buffers straight: the caller must then watch for the idle timeout, since a
   * blocking channel read has no {@code SO_TIMEOUT}.
   */
  Http1Input(InputStream in, ReadableByteChannel channel, int bufferSize) {
    this.in = in;
    this.channel = channel;
    this.buffer = new byte[bufferSize];
  }

  /**
   * The next line without its CRLF (or bare LF), as ISO-8859-1 text; null when the stream ends
   * before the line's first byte. A line longer than {@code max} is a {@link ProtocolException},
   * a stream ending mid-line an {@link EOFException}.
   */
  String readLine(int max) throws IOException {
    StringBuilder line = null;
    while (true) {
      if (position == limit && !fill()) {
        if (line == null) {
          return null;
        }
        throw new EOFException("the server's answer ended in the middle of a line");
      }
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      int end = position;
      boolean complete = position < limit;
      if (complete) {
        position++; // the LF
      }
      int have = line == null ? 0 : line.length();
      if (have + (end - start) > max + 1) {
        throw new ProtocolException("the server sent a header line longer than " + max
            + " bytes");
      }
      String piece = new String(buffer, start, end - start, StandardCharsets.ISO_8859_1);
      line = line == null ? new StringBuilder(piece) : line.append(piece);
      if (complete) {
        int n = line.length();
        if (n > 0 && line.charAt(n - 1) == '\r') {
          line.setLength(n - 1);
        }
        if (line.length() > max) {
          throw new ProtocolException("the server sent a header line longer than " + max
              + " bytes");
        }
        return line.toString();
      }
    }
  }

  /** The next byte without consuming it, or -1 at the end. */
  int peek() throws IOException {
    if (position == limit && !fill()) {
      return -1;
    }
    return buffer[position] & 0xff;
  }

  /** Reads up to {@code len} bytes: buffered ones first, else straight from the stream. */
  int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (position < limit) {
      int n = Math.min(len, limit - position);
      System.arraycopy(buffer, position, b, off, n);
      position += n;
      return n;
    }
    return in.read(b, off, len);
  }

  /**
   * Reads up to {@code dst.remaining()} bytes into {@code dst}: buffered ones first, else a
   * direct {@code dst} straight from the channel if there is one, else from the stream (straight
   * into an array-backed {@code dst}, through this buffer otherwise).
   */
  int read(ByteBuffer dst) throws IOException {
    if (!dst.hasRemaining()) {
      return 0;
    }
    if (position == limit) {
      if (channel != null && dst.isDirect()) {
        return channel.read(dst);
      }
      if (dst.hasArray()) {
        int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
        if (n > 0) {
          dst.position(dst.position() + n);
        }
        return n;
      }
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(dst.remaining(), limit - position);
    dst.put(buffer, position, n);
    position += n;
    return n;
  }

  /** Whether bytes wait in the buffer (on an idle connection: the server said something odd). */
  boolean hasBuffered() {
    return position < limit;
  }

  private boolean fill() throws IOException {
    int n = in.read(buffer, 0, buffer.length);
    if (n <= 0) {
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }
}
