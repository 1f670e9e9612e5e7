package dev.farmapi.server.http;

import dev.farmapi.server.ApiException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty raises before our handler runs (a malformed request line, oversized headers, an
 * ambiguous URI, a request limit) as the same JSON errors everything else gets.
 */
public final class JsonErrorHandler extends ErrorHandler {

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus() > 0 ? response.getStatus() : 500;
    Object message = request.getAttribute(ERROR_MESSAGE);
    Exchange.writeError(response, callback, error(status, message == null ? null : message.toString()));
    return true;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json; charset=UTF-8"));
    ApiException e = error(status, reason);
    return ByteBuffer.wrap(Json.bytes(Json.object().set("error", Json.object()
        .put("code", status)
        .put("message", e.getMessage())
        .put("status", e.statusName()))));
  }

  private static ApiException error(int status, String detail) {
    String message = switch (status) {
      case 431 -> "request headers are too large; keep them under the server's limit";
      case 414 -> "the request URI is too long";
      case 503 -> "the server is at its limit of concurrent requests; retry with backoff";
      default -> detail == null ? "the request could not be processed" : detail;
    };
    String reason = switch (status) {
      case 431 -> "headersTooLarge";
      case 503 -> "serverBusy";
      default -> status >= 500 ? "backendError" : "badRequest";
    };
    return new ApiException(status, reason, message);
  }
}
