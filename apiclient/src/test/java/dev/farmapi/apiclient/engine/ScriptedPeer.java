package dev.farmapi.apiclient.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server that does exactly what a test scripts, byte for byte, on a real socket: for the
 * engine's behaviours (connection reuse, framing, stalls, TLS) where a real server would hide
 * the detail under test. Requests it reads are recorded with their decoded bodies.
 */
final class ScriptedPeer implements AutoCloseable {
  /** What to do with one accepted connection. */
  interface Script {
    void run(Socket socket, ScriptedPeer peer) throws IOException;
  }

  /** A request as it arrived. */
  record Request(String line, Map<String, String> headers, byte[] body) {}

  private final ServerSocket server;
  private final Thread acceptor;
  final AtomicInteger connections = new AtomicInteger();
  final List<Request> requests = new CopyOnWriteArrayList<>();

  ScriptedPeer(ServerSocket server, Script script) {
    this.server = server;
    this.acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          connections.incrementAndGet();
          Thread t = new Thread(() -> {
            try (socket) {
              script.run(socket, this);
            } catch (IOException e) {
              // the client went away: scripts end there
            }
          });
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static ScriptedPeer start(Script script) throws IOException {
    return new ScriptedPeer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), script);
  }

  /** Answers every request on a connection with {@code answer}, as long as it stays open. */
  static Script answering(String answer) {
    return (socket, peer) -> {
      while (peer.read(socket.getInputStream()) != null) {
        socket.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
      }
    };
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
  }

  int port() {
    return server.getLocalPort();
  }

  /** Reads one request (a length-framed or chunked body), records it; null at the end. */
  Request read(InputStream in) throws IOException {
    String line = line(in);
    if (line == null) {
      return null;
    }
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String h; !(h = line(in)).isEmpty(); ) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if ("chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"))) {
      for (int size; (size = Integer.parseInt(line(in), 16)) > 0; ) {
        body.write(in.readNBytes(size));
        line(in);
      }
      line(in);
    } else if (headers.containsKey("Content-Length")) {
      body.write(in.readNBytes(Integer.parseInt(headers.get("Content-Length"))));
    }
    Request r = new Request(line, headers, body.toByteArray());
    requests.add(r);
    return r;
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        return b.length() == 0 ? null : b.toString();
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
