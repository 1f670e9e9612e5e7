package dev.farmapi.apiclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farmapi.apiclient.internal.Uris;
import java.io.IOException;
import java.net.URI;

/**
 * The server answered with an error status. {@link #reason()} is the Google-style
 * {@code error.errors[0].reason} when the body carries one, and the message is the server's own,
 * so a caller can tell a full disk from a bad chunk without parsing anything. The message names
 * the request with any API key or access token in its URI masked ({@code key=***}).
 */
public class HttpError extends IOException {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int statusCode;
  private final String reason;
  private final String content;

  public HttpError(int statusCode, String content, String method, URI uri) {
    this(statusCode, content, method + " " + Uris.display(uri), (Throwable) null);
  }

  protected HttpError(int statusCode, String content, String context, Throwable cause) {
    super(message(statusCode, content, context), cause);
    this.statusCode = statusCode;
    this.content = content == null ? "" : content;
    this.reason = field(this.content, "/error/errors/0/reason");
  }

  /** The HTTP status code. */
  public int statusCode() {
    return statusCode;
  }

  /** The error's reason (e.g. {@code invalidChunkSize}), or an empty string. */
  public String reason() {
    return reason;
  }

  /** The response body, as text. */
  public String content() {
    return content;
  }

  private static String message(int status, String content, String context) {
    String message = field(content == null ? "" : content, "/error/message");
    return "HTTP " + status + (message.isEmpty() ? "" : ": " + message) + " (" + context + ")";
  }

  private static String field(String content, String pointer) {
    if (content.isEmpty() || content.charAt(0) != '{') {
      return "";
    }
    try {
      JsonNode node = JSON.readTree(content).at(pointer);
      return node.isTextual() ? node.textValue() : "";
    } catch (IOException e) {
      return "";
    }
  }
}
