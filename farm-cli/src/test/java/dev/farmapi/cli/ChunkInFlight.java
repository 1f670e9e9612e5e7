package dev.farmapi.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A chunk PUT whose body is being written, from a thread of its own, when the server dies: the
 * head (with the full Content-Length) and then the body in 64 KiB writes, counted, up to
 * {@code stopAfter} bytes; then the connection is held open, the body unfinished, until the
 * server goes away or {@link #close()}.
 */
final class ChunkInFlight implements AutoCloseable {
  private final Socket socket;
  private final Thread writer;
  private final AtomicLong sent = new AtomicLong();

  private ChunkInFlight(Socket socket, byte[] head, byte[] body, int stopAfter) {
    this.socket = socket;
    this.writer = new Thread(() -> write(head, body, stopAfter), "chunk-in-flight");
    writer.setDaemon(true);
  }

  /**
   * Starts sending {@code chunk} at offset {@code first} of {@code session} (a path and query),
   * writing at most {@code stopAfter} bytes of it. {@code retryTestId} may be null.
   */
  static ChunkInFlight start(URI server, String session, long first, byte[] chunk, long total,
      int stopAfter, String retryTestId) throws IOException {
    Socket socket = new Socket(server.getHost(), server.getPort());
    String head = "PUT " + session + " HTTP/1.1\r\n"
        + "Host: " + server.getHost() + ":" + server.getPort() + "\r\n"
        + "Content-Length: " + chunk.length + "\r\n"
        + "Content-Range: bytes " + first + "-" + (first + chunk.length - 1) + "/" + total + "\r\n"
        + (retryTestId == null ? "" : "x-retry-test-id: " + retryTestId + "\r\n")
        + "\r\n";
    ChunkInFlight inFlight = new ChunkInFlight(socket,
        head.getBytes(StandardCharsets.ISO_8859_1), chunk, stopAfter);
    inFlight.writer.start();
    return inFlight;
  }

  private void write(byte[] head, byte[] body, int stopAfter) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(head);
      int limit = Math.min(stopAfter, body.length);
      for (int off = 0; off < limit; ) {
        int n = Math.min(64 * 1024, limit - off);
        sent.set(off + n); // counted before the write: an upper bound even if the write blocks
        out.write(body, off, n);
        out.flush();
        off += n;
      }
      socket.getInputStream().read(); // hold the connection: the answer or its end
    } catch (IOException e) {
      // The server died under us: what was written is in `sent`.
    }
  }

  /** Body bytes handed to the socket so far: an upper bound of what the server received. */
  long sent() {
    return sent.get();
  }

  /** Waits for the writer to notice the server is gone. */
  void awaitEnd() throws InterruptedException {
    writer.join(TimeUnit.SECONDS.toMillis(30));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
