package dev.farmapi.server.http;

import dev.farmapi.server.ApiException;
import dev.farmapi.server.store.BlobStore;
import dev.farmapi.server.store.MetadataStore;
import dev.farmapi.server.store.UploadSession;
import dev.farmapi.server.upload.Target;
import dev.farmapi.server.upload.ResumableSessions;
import dev.farmapi.server.upload.Uploads;
import java.time.Clock;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The Farm API over HTTP: routes each request, authenticates it, counts it against its farm's
 * share ({@link Admission}), fires the faults it opted into (when wrapped in a
 * {@link FaultInjectionHandler}), and renders every failure once, through
 * {@link ErrorResponses}, as a Google-style JSON error. Runs on the workers; a route that needs a
 * request body returns and goes on, on a worker again, once the body (or its next window) is in,
 * so a slow client holds no thread.
 */
public final class FarmHandler extends Handler.Abstract {
  private final ResumableSessions sessions;
  private final Authenticator auth;
  private final AnimalRoutes animals;
  private final UploadRoutes uploadRoutes;
  private final DownloadRoute download;
  private final DiscoveryDocument discovery;
  private final ServerMetrics metrics;
  private final ErrorResponses errors;
  private final Serving serving;

  /** @param serving the public URL, the body limits and the workers */
  public FarmHandler(MetadataStore meta, BlobStore blobs, Uploads uploads,
      ResumableSessions sessions, Clock clock, Serving serving, ServerMetrics metrics,
      OverloadLog overload) {
    this.sessions = sessions;
    this.auth = new Authenticator(meta, clock);
    this.metrics = metrics;
    this.errors = new ErrorResponses(metrics, overload);
    this.animals = new AnimalRoutes(meta, uploads, clock);
    this.uploadRoutes = new UploadRoutes(uploads, sessions, metrics);
    this.download = new DownloadRoute(blobs, metrics);
    this.discovery = new DiscoveryDocument(uploads.policy());
    this.serving = serving;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Exchange ex;
    try {
      ex = new Exchange(request, response, callback, serving, errors);
    } catch (ApiException e) {
      metrics.error(e.status(), e.reason());
      Exchange.writeError(response, callback, e);
      return true;
    }
    ex.runStep(() -> route(ex));
    return true;
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
    } else if (p.equals(List.of("farm", "v1", "whoami"))) {
      allow(ex, "GET");
      auth.requireKey(ex);
      Admission.enterFarm(ex, ex.farm);
      ex.methodId = "farm.whoami";
      faults(ex).atStart(false);
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
    Admission.enterFarm(ex, ex.farm);
    if (id == null) {
      ex.methodId = allow(ex, "GET", "POST").equals("GET") ? "farm.animals.list" : Target.INSERT;
      if (ex.methodId.equals(Target.INSERT)) {
        Authenticator.requireWrite(ex);
      }
      faults(ex).atStart(false);
      if (ex.methodId.equals(Target.INSERT)) {
        ex.afterWholeBody(Exchange.MAX_JSON_BODY + 1, () -> animals.insert(ex));
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
      download.download(ex, animals.find(ex.farm, id), faults(ex));
      return;
    }
    faults(ex).atStart(false);
    switch (method) {
      case "GET" -> animals.get(ex, id);
      case "PUT" -> ex.afterWholeBody(Exchange.MAX_JSON_BODY + 1, () -> animals.update(ex, id));
      case "PATCH" -> ex.afterWholeBody(Exchange.MAX_JSON_BODY + 1, () -> animals.patch(ex, id));
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
      Admission.enterFarm(ex, session.farm());
      ex.methodId = session.methodId();
      uploadRoutes.session(ex, session, faults(ex));
      return;
    }
    auth.requireKey(ex);
    Admission.enterFarm(ex, ex.farm);
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
    uploadRoutes.start(ex, target, faults(ex));
  }

  /** The faults this request opted into, by header or by the session it belongs to. */
  private static RequestFaults faults(Exchange ex) {
    return FaultInjectionHandler.faultsOf(ex);
  }

  /** The request's method if it is one of {@code methods}; else 405 with an {@code Allow}. */
  static String allow(Exchange ex, String... methods) {
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
