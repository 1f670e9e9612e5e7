package dev.farmapi.server.upload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Pushes a blocking body through a {@link BodySink}: the way of bodies the HTTP layer cannot
 * read window by window (gzip-encoded, a multipart part) and of tests. It tells a failing body
 * (the client's problem: the sink keeps what arrived) from a failing sink (ours: the sink throws
 * and has ended), because the two end differently.
 */
public final class BodyCopier {
  static final int BUFFER_SIZE = 1 << 16;

  private BodyCopier() {}

  /**
   * Reads {@code body} to its end into {@code sink}, one full buffer per {@link BodySink#write}
   * (a read hands over what one network read brought: filling the buffer first makes one hash
   * update and one write() per buffer, not per packet), and returns what the sink ends with.
   */
  public static <T> T feed(ReadableByteChannel body, BodySink<T> sink) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
    try {
      while (true) {
        buffer.clear();
        IOException failure = null;
        boolean ended = false;
        while (buffer.hasRemaining()) {
          int n;
          try {
            n = body.read(buffer);
          } catch (IOException e) {
            failure = e;
            break;
          }
          if (n < 0) {
            ended = true;
            break;
          }
        }
        buffer.flip();
        if (buffer.hasRemaining()) {
          sink.write(buffer); // what arrived before a failure is kept, as the sink promises
        }
        if (failure != null) {
          return sink.fail(failure);
        }
        if (ended) {
          return sink.end();
        }
      }
    } catch (IOException | RuntimeException e) {
      sink.abandon(); // nothing if the sink has ended already
      throw e;
    }
  }
}
