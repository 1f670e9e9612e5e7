package dev.farmapi.server.http;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.QuietException;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.Blocker;

/** The connection-level faults: an answer cut short, and a reset instead of an answer. */
final class BrokenResponses {
  private BrokenResponses() {}

  /**
   * Sends the headers of a full answer (Content-Length of all of {@code body}) and only its
   * first {@code keep} bytes, then drops the connection: the client sees a truncated body.
   */
  static void sendTruncated(Exchange ex, int status, String contentType, byte[] body, long keep)
      throws IOException {
    ex.response.setStatus(status);
    ex.response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    ex.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) body.length);
    int n = (int) Math.min(keep, body.length);
    try (Blocker.Callback written = Blocker.callback()) {
      ex.response.write(false, ByteBuffer.wrap(body, 0, n), written);
      written.block();
    }
    abort(ex);
  }

  /** Ends the exchange by closing the connection mid-response. */
  static void abort(Exchange ex) {
    ex.callback.failed(new Abort("response cut by fault injection", null));
  }

  /** Resets the TCP connection: SO_LINGER 0, then close, sends an RST instead of a FIN. */
  static void reset(Exchange ex) {
    resetConnection(ex);
    ex.callback.failed(new Abort("connection reset by fault injection", null));
  }

  /** SO_LINGER 0, then close: an RST, and whatever the kernel still held to send is dropped. */
  static void resetConnection(Exchange ex) {
    EndPoint endPoint = ex.request.getConnectionMetaData().getConnection().getEndPoint();
    if (endPoint instanceof SocketChannelEndPoint socket) {
      try {
        socket.getChannel().setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
      } catch (IOException e) {
        // still closed below, with a FIN instead of an RST
      }
    }
    endPoint.close();
  }

  /** Ends an exchange whose client is gone (or must be cut off), without an error in the log. */
  static void abandon(Exchange ex, Throwable cause) {
    ex.callback.failed(new Abort("request abandoned: " + cause, cause));
  }

  /**
   * An intended end of a connection. Jetty logs a failed exchange as a warning with its stack
   * trace unless the failure is "quiet": these are not server faults.
   */
  private static final class Abort extends EOFException implements QuietException {
    Abort(String message, Throwable cause) {
      super(message);
      initCause(cause);
    }
  }
}
