package dev.farmapi.server.http;

import dev.farmapi.server.ApiException;
import dev.farmapi.server.store.BlobStore;
import dev.farmapi.server.store.MetadataStore;
import dev.farmapi.server.store.StoreException;
import dev.farmapi.server.store.UploadSession;
import dev.farmapi.server.upload.Target;
import dev.farmapi.server.upload.TruncatedBodyException;
import dev.farmapi.server.upload.ResumableSessions;
import dev.farmapi.server.upload.Uploads;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Farm API over HTTP: routes each request, authenticates it, fires the faults it opted into,
 * and renders every failure once, as a Google-style JSON error. Runs on blocking threads: bodies
 * are streamed to storage by the thread that serves the request.
 */
public final class FarmHandler extends Handler.Abstract {
  /** The header by which a request opts into a retry test. */
  static final String RETRY_TEST_HEADER = "x-retry-test-id";

  private static final Logger log = LoggerFactory.getLogger(FarmHandler.class);

  private final ResumableSessions sessions;
  private final Authenticator auth;
  private final AnimalRoutes animals;
  private final UploadRoutes uploadRoutes;
  private final DownloadRoute download;
  private final DiscoveryDocument discovery;
  private final ServerMetrics metrics;
  private final RetryTests retryTests; // null unless fault injection is enabled
  private final String publicUrl;
  private final Duration bodyTimeout;

  /**
   * @param publicUrl the root URL clients reach the server at, or null to use each request's own
   * @param bodyTimeout how long a read of a request body may wait for bytes
   * @param faultInjection whether to offer the retry-test API
   */
  public FarmHandler(MetadataStore meta, BlobStore blobs, Uploads uploads,
      ResumableSessions sessions, Clock clock,
      String publicUrl, Duration bodyTimeout, boolean faultInjection) {
    this.sessions = sessions;
    this.auth = new Authenticator(meta, clock);
    this.metrics = new ServerMetrics(meta);
    this.animals = new AnimalRoutes(meta, uploads, clock);
    this.uploadRoutes = new UploadRoutes(uploads, sessions, metrics);
    this.download = new DownloadRoute(blobs, metrics);
    this.discovery = new DiscoveryDocument(uploads.policy());
    this.retryTests = faultInjection ? new RetryTests() : null;
    this.publicUrl = publicUrl;
    this.bodyTimeout = bodyTimeout;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Exchange ex;
    try {
      ex = new Exchange(request, response, callback, publicUrl, bodyTimeout);
    } catch (ApiException e) {
      metrics.error(e.status(), e.reason());
      Exchange.writeError(response, callback, e);
      return true;
    }
    try {
      route(ex);
    } catch (ApiException e) {
      fail(ex, e);
    } catch (StoreException e) {
      log.error("metadata store failure", e);
      fail(ex, ApiException.storageFailure("the request's changes", e));
    } catch (RequestFaults.ResetConnection e) {
      BrokenResponses.reset(ex);
    } catch (RequestFaults.InjectedFault e) {
      fail(ex, new ApiException(e.status, "injectedFault", e.getMessage()));
    } catch (RequestBody.BodyTimeoutException e) {
      ex.bodyFailed = true; // silent: do not wait for it again before closing
      ex.response.getHeaders().put(HttpHeader.CONNECTION, "close");
      fail(ex, new ApiException(408, "requestTimeout", e.getMessage()
          + "; a resumable session keeps what arrived: query its status and resend from there"));
    } catch (TruncatedBodyException e) {
      // The body ended (a chunked body's last chunk) short of what Content-Range names: the
      // client is still there and waits for an answer.
      fail(ex, ApiException.badRequest("incompleteBody", e.getMessage()
          + "; what arrived is kept: query the upload's status and resend from there"));
    } catch (IOException e) {
      // The client went away mid-body; whatever arrived is already kept. Nobody to answer.
      log.debug("request body failed: {}", e.toString());
      metrics.error(0, "clientDisconnected");
      BrokenResponses.abandon(ex, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      BrokenResponses.abandon(ex, e);
    } catch (Exception e) {
      // The path only: the query may carry ?key=, a secret (by any spelling of its name).
      log.error("unexpected failure serving {} {}", ex.method, request.getHttpURI().getPath(), e);
      fail(ex, new ApiException(500, "backendError", "the server failed unexpectedly; retry,"
          + " and report it if it persists"));
    }
    return true;
  }

  private void fail(Exchange ex, ApiException e) {
    metrics.error(e.status(), e.reason());
    if (ex.response.isCommitted()) {
      ex.callback.failed(e); // too late for a status: cut the connection instead
    } else {
      ex.sendError(e);
    }
  }

  private void route(Exchange ex) throws Exception {
    List<String> p = ex.path;
    if (p.equals(List.of("healthz"))) {
      allow(ex, "GET");
      ex.sendText(200, "application/json", "{\"status\":\"ok\"}");
    } else if (p.equals(List.of("metrics"))) {
      allow(ex, "GET");
      ex.sendText(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
    } else if (p.equals(List.of("discovery", "v1", "apis", "farm", "v1", "rest"))) {
      allow(ex, "GET");
      ex.sendJson(200, discovery.forRoot(ex.baseUrl));
    } else if (retryTests != null && !p.isEmpty() && p.get(0).equals("retry_test")) {
      retryTest(ex);
    } else if (p.equals(List.of("farm", "v1", "whoami"))) {
      allow(ex, "GET");
      auth.requireKey(ex);
      ex.methodId = "farm.whoami";
      faults(ex, null).atStart(false);
      ex.sendJson(200, Authenticator.whoami(ex.key));
    } else if (startsWith(p, "farm", "v1", "animals") && p.size() <= 4) {
      animals(ex, p.size() == 4 ? p.get(3) : null);
    } else if (startsWith(p, "upload", "farm", "v1", "animals") && p.size() <= 5) {
      upload(ex, p.size() == 5 ? p.get(4) : null);
    } else {
      throw ApiException.notFound("no such resource: " + ex.method + " /"
          + Texts.excerpt(String.join("/", p)) + "; the API lives under /farm/v1/"
          + " and is described at /discovery/v1/apis/farm/v1/rest");
    }
  }

  private void animals(Exchange ex, String id) throws Exception {
    auth.requireKey(ex);
    if (id == null) {
      ex.methodId = allow(ex, "GET", "POST").equals("GET") ? "farm.animals.list" : Target.INSERT;
      if (ex.methodId.equals(Target.INSERT)) {
        Authenticator.requireWrite(ex);
      }
      faults(ex, null).atStart(false);
      if (ex.methodId.equals(Target.INSERT)) {
        animals.insert(ex);
      } else {
        animals.list(ex);
      }
      return;
    }
    String method = allow(ex, "GET", "PUT", "PATCH", "DELETE");
    ex.methodId = switch (method) {
      case "GET" -> "farm.animals.get";
      case "PUT" -> Target.UPDATE;
      case "PATCH" -> "farm.animals.patch";
      default -> "farm.animals.delete";
    };
    if (!method.equals("GET")) {
      Authenticator.requireWrite(ex);
    }
    String alt = ex.query.oneOf("alt", "json", "json", "media");
    if (alt.equals("media")) {
      if (!method.equals("GET")) {
        throw ApiException.badRequest("invalidParameter", "alt=media is only for GET");
      }
      download.download(ex, animals.find(ex.farm, id), faults(ex, null));
      return;
    }
    faults(ex, null).atStart(false);
    switch (method) {
      case "GET" -> animals.get(ex, id);
      case "PUT" -> animals.update(ex, id);
      case "PATCH" -> animals.patch(ex, id);
      default -> animals.delete(ex, id);
    }
  }

  private void upload(Exchange ex, String id) throws Exception {
    String uploadId = ex.query.get("upload_id");
    if (uploadId != null) {
      // The session URI is the capability: real clients send no key with chunks.
      auth.authenticate(ex);
      allow(ex, "PUT", "DELETE");
      Authenticator.requireWrite(ex);
      UploadSession session = sessions.session(uploadId, ex.farm);
      auth.authorizeSession(ex, session);
      ex.methodId = session.methodId();
      uploadRoutes.session(ex, session, faults(ex, session.retryTestId()));
      return;
    }
    auth.requireKey(ex);
    allow(ex, id == null ? "POST" : "PUT");
    Authenticator.requireWrite(ex);
    Target target;
    if (id == null) {
      target = Target.insert(ex.farm);
    } else {
      AnimalRoutes.checkId(id);
      target = Target.update(ex.farm, id);
    }
    ex.methodId = target.methodId();
    uploadRoutes.start(ex, target, faults(ex, null));
  }

  private void retryTest(Exchange ex) throws IOException {
    List<String> p = ex.path;
    if (p.size() == 1) {
      allow(ex, "POST");
      ex.sendJson(200, retryTests.create(ex.jsonBody("the retry test")).toJson());
      return;
    }
    String id = p.size() == 2 ? p.get(1) : null;
    String method = allow(ex, "GET", "DELETE");
    var test = retryTests.get(id).orElseThrow(() -> ApiException.notFound("no retry test " + id));
    if (method.equals("GET")) {
      ex.sendJson(200, test.toJson());
    } else {
      retryTests.delete(id);
      ex.sendEmpty(200);
    }
  }

  /** The faults this request opted into: by header, else by the session it belongs to. */
  private RequestFaults faults(Exchange ex, String sessionTestId) {
    if (retryTests == null) {
      return RequestFaults.NONE;
    }
    String id = ex.header(RETRY_TEST_HEADER);
    return retryTests.get(id != null ? id : sessionTestId)
        .map(test -> new RequestFaults(test, ex.methodId))
        .orElse(RequestFaults.NONE);
  }

  private static String allow(Exchange ex, String... methods) {
    for (String m : methods) {
      if (m.equals(ex.method)) {
        return m;
      }
    }
    ex.response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", methods));
    throw new ApiException(405, "methodNotAllowed", ex.method + " is not allowed here; use "
        + String.join(" or ", methods));
  }

  private static boolean startsWith(List<String> path, String... prefix) {
    return path.size() >= prefix.length && path.subList(0, prefix.length).equals(List.of(prefix));
  }
}
