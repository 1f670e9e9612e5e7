package dev.farmapi.server.http;

import dev.farmapi.server.ApiException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A request body sent with {@code Content-Encoding: gzip}, decoded as it is read.
 * google-api-java-client gzips every body it can by default (upload metadata, simple and
 * multipart uploads, chunks of unknown-length uploads), as Google's servers accept; the bytes an
 * upload stores, counts and acknowledges are the decoded ones.
 *
 * <p>The decoded end is reported only once the encoded body has been read to its own end
 * (concatenated gzip members included): a handler that answered while the chunked terminator was
 * still in flight would leave Jetty to close a connection whose response did not say so, and a
 * keep-alive client (HttpURLConnection) would then fail its next request on that connection.
 */
final class GzipBody implements ReadableByteChannel {
  /** Bytes after the last gzip member that are read and dropped before giving up on them. */
  private static final int MAX_TRAILING_BYTES = 64 * 1024;

  private final ReadableByteChannel encoded;
  private final Encoded raw = new Encoded();
  private InputStream decoded; // made at the first read: GZIPInputStream reads in its constructor
  private byte[] buffer = new byte[0];
  private boolean eof;

  GzipBody(ReadableByteChannel encoded) {
    this.encoded = encoded;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (eof) {
      return -1;
    }
    if (!dst.hasRemaining()) {
      return 0;
    }
    try {
      if (decoded == null) {
        PushbackInputStream in = new PushbackInputStream(raw, 1);
        int first = in.read();
        if (first < 0) {
          eof = true; // an empty body encodes nothing (a status query, say)
          return -1;
        }
        in.unread(first);
        decoded = new GZIPInputStream(in, 1 << 16);
      }
      int want = Math.min(dst.remaining(), 1 << 16);
      if (buffer.length < want) {
        buffer = new byte[want];
      }
      int n = decoded.read(buffer, 0, want);
      if (n < 0) {
        raw.drain();
        eof = true;
        return -1;
      }
      dst.put(buffer, 0, n);
      return n;
    } catch (ZipException e) {
      throw invalid(e.getMessage());
    } catch (EOFException e) {
      if (raw.ended) {
        // The body arrived in full but its gzip stops short: the client is there and waits for
        // an answer. (While the body is still arriving, an EOFException is the client going
        // away, Jetty's EofException included, and stays an IOException.)
        throw invalid("it ends inside a gzip member");
      }
      throw e;
    }
  }

  private static ApiException invalid(String problem) {
    return ApiException.badRequest("invalidContentEncoding", "the request body is not valid"
        + " gzip (" + Texts.excerpt(String.valueOf(problem)) + ") although it is sent with"
        + " Content-Encoding: gzip; send it gzip-encoded, or without Content-Encoding");
  }

  @Override
  public boolean isOpen() {
    return !eof;
  }

  @Override
  public void close() throws IOException {
    encoded.close();
  }

  /** The encoded body as a stream. */
  private final class Encoded extends InputStream {
    private boolean ended;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (ended) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      int n;
      do {
        n = encoded.read(ByteBuffer.wrap(b, off, len));
      } while (n == 0);
      if (n < 0) {
        ended = true;
      }
      return n;
    }

    /**
     * Until the body ends, "more may follow": GZIPInputStream then looks for another member
     * after each one, which reads on to the body's end instead of stopping at the first trailer
     * (and ignores what is not a member, as it always does).
     */
    @Override
    public int available() {
      return ended ? 0 : 1;
    }

    /** Reads what is left after the last member, so the request is complete when we answer. */
    void drain() throws IOException {
      byte[] sink = new byte[8192];
      long dropped = 0;
      while (dropped <= MAX_TRAILING_BYTES) {
        int n = read(sink, 0, sink.length);
        if (n < 0) {
          return;
        }
        dropped += n;
      }
    }
  }
}
