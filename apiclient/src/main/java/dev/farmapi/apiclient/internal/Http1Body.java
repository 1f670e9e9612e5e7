package dev.farmapi.apiclient.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;

/**
 * The body of an answer, framed as its head says: a length, chunks, or until the server closes.
 * It reports its end once: read to the end (the connection may carry another request) or not
 * (closed early or broken: the connection must go, since unread bytes would be taken for the
 * next answer).
 */
class Http1Body extends InputStream {
  /** Told once how the body ended. */
  interface End {
    void ended(boolean complete);
  }

  final Http1Input in;
  private final End end;
  long left; // bytes left; -1: until the server closes
  private boolean done;

  static Http1Body of(Http1Head head, Http1Input in, End end) {
    return switch (head.framing()) {
      case NONE -> new Http1Body(in, 0, end);
      case LENGTH -> new Http1Body(in, head.contentLength(), end);
      case CHUNKED -> new Chunked(in, end);
      case UNTIL_CLOSE -> new Http1Body(in, -1, end);
    };
  }

  Http1Body(Http1Input in, long length, End end) {
    this.in = in;
    this.left = length;
    this.end = end;
    if (length == 0) {
      finish(true);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (done) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    return counted(in.read(b, off, left < 0 ? len : (int) Math.min(len, left)));
  }

  /** As {@link #read(byte[], int, int)}, into {@code dst} (downloads). */
  int read(ByteBuffer dst) throws IOException {
    if (done) {
      return -1;
    }
    if (!dst.hasRemaining()) {
      return 0;
    }
    return counted(readAtMost(dst, left < 0 ? dst.remaining() : left));
  }

  /** Reads at most {@code max} bytes from the input into {@code dst}. */
  final int readAtMost(ByteBuffer dst, long max) throws IOException {
    int limit = dst.limit();
    dst.limit(dst.position() + (int) Math.min(dst.remaining(), max));
    try {
      return in.read(dst);
    } finally {
      dst.limit(limit);
    }
  }

  /** What a read of {@code n} bytes means: the body's end, or a body cut short. */
  private int counted(int n) throws IOException {
    if (n < 0) {
      if (left < 0) {
        finish(true); // the server's close ends this body: the connection cannot go on anyway
        return -1;
      }
      finish(false);
      throw new EOFException("the server's answer ended " + left + " bytes short");
    }
    if (left > 0 && (left -= n) == 0) {
      finish(true);
    }
    return n;
  }

  final boolean done() {
    return done;
  }

  final void finish(boolean complete) {
    if (!done) {
      done = true;
      end.ended(complete && left >= 0);
    }
  }

  @Override
  public void close() {
    finish(false);
  }

  /** Chunks: a hex size line, the data, CRLF; then trailer fields, read and dropped. */
  private static final class Chunked extends Http1Body {
    Chunked(Http1Input in, End end) {
      super(in, -2, end);
      left = 0; // of the current chunk
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done()) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      try {
        if (!inChunk()) {
          return -1;
        }
        return chunkData(in.read(b, off, (int) Math.min(len, left)));
      } catch (IOException e) {
        finish(false);
        throw e;
      }
    }

    @Override
    int read(ByteBuffer dst) throws IOException {
      if (done()) {
        return -1;
      }
      if (!dst.hasRemaining()) {
        return 0;
      }
      try {
        if (!inChunk()) {
          return -1;
        }
        return chunkData(readAtMost(dst, left));
      } catch (IOException e) {
        finish(false);
        throw e;
      }
    }

    /** Reads the next chunk's size when the current one is used up; false after the last. */
    private boolean inChunk() throws IOException {
      if (left == 0) {
        String line = in.readLine(Http1Head.MAX_LINE);
        if (line == null) {
          throw new EOFException("the server's chunked answer ended before its last chunk");
        }
        long size = Http1Head.chunkSize(line);
        if (size == 0) {
          Http1Head.fields(in); // trailers
          finish(true);
          return false;
        }
        left = size;
      }
      return true;
    }

    /** Accounts for {@code n} bytes of the current chunk, and its CRLF after its last. */
    private int chunkData(int n) throws IOException {
      if (n < 0) {
        throw new EOFException("the server's chunked answer ended inside a chunk");
      }
      left -= n;
      if (left == 0) {
        String crlf = in.readLine(2);
        if (crlf == null || !crlf.isEmpty()) {
          throw new ProtocolException("a chunk of the server's answer is longer than its"
              + " size says");
        }
      }
      return n;
    }
  }
}
