package dev.farmapi.server.http;

import dev.farmapi.server.ApiException;
import dev.farmapi.server.store.SessionFencedException;
import dev.farmapi.server.store.StoreException;
import dev.farmapi.server.upload.TruncatedBodyException;
import dev.farmapi.server.upload.UploadException;
import java.io.IOException;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failure becomes an HTTP answer: an {@link ApiException} as it is, the
 * upload state machine's {@link UploadException} by its kind, a store failure or a session held
 * elsewhere too long as 503, a body that
 * went silent as 408, injected faults as scripted, a client that went away as no answer at all,
 * and anything unexpected as 500.
 */
final class ErrorResponses implements Exchange.Failures {
  private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

  private final ServerMetrics metrics;
  private final OverloadLog overload;

  ErrorResponses(ServerMetrics metrics, OverloadLog overload) {
    this.metrics = metrics;
    this.overload = overload;
  }

  /** Counts a body cut for silence or slowness; its 408 is counted when it is answered. */
  @Override
  public void bodyCut(BodyReader.BodyTimeoutException cause) {
    metrics.cut(cause.silent() ? "bodyTimeout" : "bodyTooSlow");
    overload.record(OverloadLog.Event.BODY_CUT);
  }

  @Override
  public void cut(String reason) {
    metrics.cut(reason);
    overload.record(OverloadLog.Event.RESPONSE_CUT);
  }

  /** Answers {@code ex} for {@code failure}, or ends it without an answer when nobody listens. */
  @Override
  public void render(Exchange ex, Throwable failure) {
    if (failure instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    if (failure instanceof RequestFaults.ResetConnection) {
      BrokenResponses.reset(ex);
      return;
    }
    if (failure instanceof BodyReader.BodyTimeoutException
        || failure instanceof WindowBudget.Exhausted) {
      ex.bodyFailed = true; // silent, or not to be read: do not wait for it before closing
      ex.response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    if (failure instanceof WindowBudget.Exhausted) {
      metrics.refused("bodyMemory");
      overload.record(OverloadLog.Event.OVERLOADED);
      ex.response.getHeaders().put(HttpHeader.RETRY_AFTER,
          Integer.toString(Admission.RETRY_AFTER_SECONDS));
    }
    ApiException answer = toApi(ex, failure);
    if (answer == null) {
      BrokenResponses.abandon(ex, failure);
      return;
    }
    metrics.error(answer.status(), answer.reason());
    if (ex.response.isCommitted()) {
      ex.callback.failed(answer); // too late for a status: cut the connection instead
    } else {
      ex.sendError(answer);
    }
  }

  /** The answer to {@code failure}, or null when there is nobody to answer. */
  private ApiException toApi(Exchange ex, Throwable failure) {
    if (failure instanceof ApiException api) {
      return api;
    }
    if (failure instanceof UploadException upload) {
      return new ApiException(status(upload.kind()), upload.reason(), upload.getMessage());
    }
    if (failure instanceof SessionFencedException busy) {
      // Another request held the session (or idempotency key) past the wait, or moved it on.
      return new ApiException(503, "sessionContended", busy.getMessage()
          + "; query the upload's status and resume, or retry the request");
    }
    if (failure instanceof StoreException store) {
      log.error("metadata store failure", store);
      UploadException e = UploadException.storage("the request's changes", store);
      return new ApiException(status(e.kind()), e.reason(), e.getMessage());
    }
    if (failure instanceof RequestFaults.InjectedFault injected) {
      return new ApiException(injected.status, "injectedFault", injected.getMessage());
    }
    if (failure instanceof WindowBudget.Exhausted full) {
      return new ApiException(503, "serverBusy", full.getMessage());
    }
    if (failure instanceof BodyReader.BodyTimeoutException timeout) {
      return new ApiException(408, "requestTimeout", timeout.getMessage()
          + "; a resumable session keeps what arrived: query its status and resend from there");
    }
    if (failure instanceof TruncatedBodyException truncated) {
      // The body ended (a chunked body's last chunk) short of what Content-Range names: the
      // client is still there and waits for an answer.
      return ApiException.badRequest("incompleteBody", truncated.getMessage()
          + "; what arrived is kept: query the upload's status and resend from there");
    }
    if (failure instanceof IOException || failure instanceof InterruptedException) {
      // The client went away mid-body; whatever arrived is already kept. Nobody to answer.
      log.debug("request body failed: {}", failure.toString());
      metrics.error(0, "clientDisconnected");
      return null;
    }
    // The path only: the query may carry ?key=, a secret (by any spelling of its name).
    log.error("unexpected failure serving {} {}", ex.method, ex.request.getHttpURI().getPath(),
        failure);
    return new ApiException(500, "backendError", "the server failed unexpectedly; retry,"
        + " and report it if it persists");
  }

  /** The HTTP status of each kind of upload failure. */
  static int status(UploadException.Kind kind) {
    return switch (kind) {
      case INVALID -> 400;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case TOO_LARGE -> 413;
      case UNSUPPORTED_TYPE -> 415;
      case CONTENDED, STORAGE_FULL, STORAGE_FAILED -> 503;
    };
  }
}
