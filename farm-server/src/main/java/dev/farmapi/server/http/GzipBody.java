package dev.farmapi.server.http;

import dev.farmapi.server.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A request body sent with {@code Content-Encoding: gzip}, decoded as it is read.
 * google-api-java-client gzips every body it can by default (upload metadata, simple and
 * multipart uploads, chunks of unknown-length uploads), as Google's servers accept; the bytes an
 * upload stores, counts and acknowledges are the decoded ones.
 */
final class GzipBody implements ReadableByteChannel {
  private final ReadableByteChannel encoded;
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
        PushbackInputStream in = new PushbackInputStream(Channels.newInputStream(encoded), 1);
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
        eof = true;
        return -1;
      }
      dst.put(buffer, 0, n);
      return n;
    } catch (ZipException e) {
      throw ApiException.badRequest("invalidContentEncoding", "the request body is not valid"
          + " gzip (" + e.getMessage() + ") although it is sent with Content-Encoding: gzip;"
          + " send it gzip-encoded, or without Content-Encoding");
    }
  }

  @Override
  public boolean isOpen() {
    return !eof;
  }

  @Override
  public void close() throws IOException {
    encoded.close();
  }
}
