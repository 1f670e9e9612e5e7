package dev.farmapi.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so that tests can send what real clients and attackers send:
 * lying Content-Lengths, half bodies, raw header bytes. Each request uses its own connection
 * ({@code Connection: close}) and the response is read to the end.
 */
public final class RawHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RawHttp() {}

  /** A response as received. Header names are lower-cased. */
  public record Response(int status, Map<String, List<String>> headers, byte[] body) {
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : values.get(0);
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + text(), e);
      }
    }

    /** The {@code error.errors[0].reason} of a JSON error. */
    public String reason() {
      return json().at("/error/errors/0/reason").asText();
    }

    @Override
    public String toString() {
      return status + " " + headers + " " + text();
    }
  }

  /** A request under construction. */
  public static final class Request {
    private final URI server;
    private final String method;
    private final String target;
    private final List<String[]> headers = new ArrayList<>();
    private byte[] body;
    private boolean autoLength = true;

    Request(URI server, String method, String target) {
      this.server = server;
      this.method = method;
      this.target = target;
    }

    public Request header(String name, String value) {
      headers.add(new String[] {name, value});
      if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")) {
        autoLength = false;
      }
      return this;
    }

    public Request bearer(String key) {
      return header("Authorization", "Bearer " + key);
    }

    public Request body(byte[] bytes) {
      this.body = bytes;
      return this;
    }

    public Request body(String text) {
      return body(text.getBytes(StandardCharsets.UTF_8));
    }

    public Request json(String text) {
      return header("Content-Type", "application/json").body(text);
    }

    public Response send() throws IOException {
      try (Socket socket = open()) {
        try {
          writeHead(socket.getOutputStream());
          if (body != null) {
            socket.getOutputStream().write(body);
          }
          socket.getOutputStream().flush();
        } catch (IOException writeFailed) {
          // A server may answer (413, 408) and close before reading a whole body: its answer,
          // if it got here, is still the one to check.
          try {
            return read(socket.getInputStream());
          } catch (IOException readFailed) {
            writeFailed.addSuppressed(readFailed);
            throw writeFailed;
          }
        }
        return read(socket.getInputStream());
      }
    }

    /**
     * Sends the request and returns every byte received until the server closed the
     * connection, without parsing: for answers that are cut or never come. A reset shows as
     * {@link Received#failure()}.
     */
    public Received sendForBytes() throws IOException {
      try (Socket socket = open()) {
        try {
          writeHead(socket.getOutputStream());
          if (body != null) {
            socket.getOutputStream().write(body);
          }
          socket.getOutputStream().flush();
        } catch (IOException writeFailed) {
          // The server cut the connection before taking the whole body: see what it said.
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
          for (int n; (n = socket.getInputStream().read(buffer)) >= 0; ) {
            all.write(buffer, 0, n);
          }
          return new Received(all.toByteArray(), null);
        } catch (IOException e) {
          return new Received(all.toByteArray(), e);
        }
      }
    }

    /** Sends the request and reads one answer, without waiting for the connection to end. */
    public Response sendForAnswer() throws IOException {
      try (Socket socket = open()) {
        writeHead(socket.getOutputStream());
        if (body != null) {
          socket.getOutputStream().write(body);
        }
        socket.getOutputStream().flush();
        return readOne(socket.getInputStream());
      }
    }

    /**
     * Sends the head and the first {@code firstPart} bytes of the body, reads the answer the
     * server gives before the rest arrives, then sends the rest and reads to the end: what a
     * client that writes its whole body before reading (most do) will live through.
     */
    public EarlyAnswer sendExpectingEarlyAnswer(int firstPart) throws IOException {
      try (Socket socket = open()) {
        writeHead(socket.getOutputStream());
        socket.getOutputStream().write(body, 0, firstPart);
        socket.getOutputStream().flush();
        Response response = readOne(socket.getInputStream());
        try {
          socket.getOutputStream().write(body, firstPart, body.length - firstPart);
          socket.getOutputStream().flush();
          int extra = socket.getInputStream().read();
          return new EarlyAnswer(response, extra < 0 ? null
              : new IOException("bytes after the answer: " + extra));
        } catch (IOException e) {
          return new EarlyAnswer(response, e);
        }
      }
    }

    /**
     * Sends the head and the first {@code firstPart} bytes of the body, runs {@code between}
     * (which may wait for the server to be inside this request), then sends the rest and reads
     * the answer.
     */
    public Response sendInTwoParts(int firstPart, Between between) throws Exception {
      try (Socket socket = open()) {
        writeHead(socket.getOutputStream());
        socket.getOutputStream().write(body, 0, firstPart);
        socket.getOutputStream().flush();
        between.run();
        socket.getOutputStream().write(body, firstPart, body.length - firstPart);
        socket.getOutputStream().flush();
        return read(socket.getInputStream());
      }
    }

    /**
     * Sends the head and the first {@code sent} bytes of the body, then closes the connection
     * without reading an answer: a client that died mid-upload.
     */
    public void sendAndAbandon(int sent) throws IOException {
      try (Socket socket = open()) {
        writeHead(socket.getOutputStream());
        socket.getOutputStream().write(body, 0, sent);
        socket.getOutputStream().flush();
        socket.setSoLinger(true, 0); // RST, as a killed process's socket would
      }
    }

    private Socket open() throws IOException {
      Socket socket = new Socket(server.getHost(), server.getPort());
      socket.setSoTimeout(60_000);
      return socket;
    }

    private void writeHead(OutputStream out) throws IOException {
      StringBuilder head = new StringBuilder()
          .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
          .append("Host: ").append(server.getHost()).append(':').append(server.getPort())
          .append("\r\nConnection: close\r\n");
      for (String[] h : headers) {
        head.append(h[0]).append(": ").append(h[1]).append("\r\n");
      }
      if (autoLength && (body != null || !method.equals("GET"))) {
        head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
      }
      head.append("\r\n");
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  /**
   * An answer that came while the request body was still being sent, and how the exchange ended
   * once the client sent the rest: {@code afterwards} is null when the rest went out and the
   * server then closed the connection cleanly, else what failed (a reset, a broken pipe).
   */
  public record EarlyAnswer(Response response, IOException afterwards) {}

  /** What runs between the two parts of {@link Request#sendInTwoParts}. */
  public interface Between {
    void run() throws Exception;
  }

  /** The raw bytes of an answer, and the failure that ended the read, if any (e.g. a reset). */
  public record Received(byte[] bytes, IOException failure) {
    /** The bytes after the head, or null when no complete head arrived. */
    public byte[] bodyBytes() {
      int headEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      return headEnd < 0 ? null : java.util.Arrays.copyOfRange(bytes, headEnd + 4, bytes.length);
    }

    /** The head (status line and headers) as text, or "" when none arrived. */
    public String head() {
      int headEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      return headEnd < 0 ? "" : new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1);
    }
  }

  public static Request request(URI server, String method, String target) {
    return new Request(server, method, target);
  }

  static Response read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    byte[] bytes = all.toByteArray();
    int headEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    if (headEnd < 0) {
      throw new IOException("no complete response head in " + bytes.length + " bytes");
    }
    String[] lines = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
    }
    byte[] body = java.util.Arrays.copyOfRange(bytes, headEnd + 4, bytes.length);
    String length = headers.containsKey("content-length") ? headers.get("content-length").get(0) : null;
    if (length != null && Long.parseLong(length) != body.length) {
      throw new IOException("response body is " + body.length + " bytes, Content-Length says "
          + length);
    }
    return new Response(status, headers, body);
  }

  /** Reads exactly one response (its head, then Content-Length bytes), leaving the socket open. */
  static Response readOne(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection ended inside the response head: " + head);
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("(?im)^content-length: *(\\d+)").matcher(text);
    byte[] body = in.readNBytes(m.find() ? Integer.parseInt(m.group(1)) : 0);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(head.toByteArray());
    all.writeBytes(body);
    return read(new java.io.ByteArrayInputStream(all.toByteArray()));
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
