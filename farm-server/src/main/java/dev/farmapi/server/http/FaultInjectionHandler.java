package dev.farmapi.server.http;

import dev.farmapi.server.ApiException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Fault injection as a wrapper around the Farm handler, with all of its state: it serves the
 * retry-test API ({@code /retry_test}), keeps the scripted tests, and remembers which test the
 * initiation of each resumable session opted into, so that the session's chunk PUTs (which carry
 * no header) count for it. The handler it wraps only asks, at each point where a kind of fault
 * acts, for the {@link RequestFaults} of the request ({@link #faultsOf}); without this wrapper
 * there are none, and nothing of fault injection is stored with sessions.
 *
 * <p>The bindings are this process's memory: in a cluster, a session initiated on one node
 * takes its scripted faults only on that node (retry tests are per node anyway).
 */
public final class FaultInjectionHandler extends Handler.Wrapper {
  /** The header by which a request opts into a retry test. */
  static final String RETRY_TEST_HEADER = "x-retry-test-id";
  private static final String ATTRIBUTE = FaultInjectionHandler.class.getName();

  private final RetryTests tests = new RetryTests();
  /** upload_id of a session -> the retry test its initiation opted into. */
  private final Map<String, String> sessionTests = new ConcurrentHashMap<>();
  private final Serving serving;

  /** @param serving as the wrapped handler's, for the API's own pages */
  public FaultInjectionHandler(Handler farm, Serving serving) {
    super(farm);
    this.serving = serving;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (path.equals("/retry_test") || path.startsWith("/retry_test/")) {
      serveApi(request, response, callback);
      return true;
    }
    request.setAttribute(ATTRIBUTE, this);
    return super.handle(request, response, callback);
  }

  /** The faults the request of {@code ex} opted into: by header, else by its session. */
  static RequestFaults faultsOf(Exchange ex) {
    if (!(ex.request.getAttribute(ATTRIBUTE) instanceof FaultInjectionHandler faults)) {
      return RequestFaults.NONE;
    }
    String id = ex.header(RETRY_TEST_HEADER);
    if (id == null) {
      String uploadId = ex.query.get("upload_id");
      id = uploadId == null ? null : faults.sessionTests.get(uploadId);
    }
    return faults.tests.get(id)
        .map(test -> new RequestFaults(test, ex.methodId, uploadId -> faults.bind(uploadId, test)))
        .orElse(RequestFaults.NONE);
  }

  private void bind(String uploadId, RetryTests.RetryTest test) {
    sessionTests.put(uploadId, test.id);
  }

  private void serveApi(Request request, Response response, Callback callback) {
    Exchange ex;
    Exchange.Failures failures = (e, failure) -> {
      if (failure instanceof ApiException api) {
        e.sendError(api);
      } else {
        BrokenResponses.abandon(e, failure);
      }
    };
    try {
      ex = new Exchange(request, response, callback, serving, failures);
    } catch (ApiException e) {
      Exchange.writeError(response, callback, e);
      return;
    }
    ex.runStep(() -> {
      List<String> p = ex.path;
      if (p.size() == 1) {
        FarmHandler.allow(ex, "POST");
        ex.afterWholeBody(Exchange.MAX_JSON_BODY + 1, () ->
            ex.sendJson(200, tests.create(ex.jsonBody("the retry test")).toJson()));
        return;
      }
      String id = p.size() == 2 ? p.get(1) : null;
      String method = FarmHandler.allow(ex, "GET", "DELETE");
      var test = tests.get(id).orElseThrow(() -> ApiException.notFound("no retry test " + id));
      if (method.equals("GET")) {
        ex.sendJson(200, test.toJson());
      } else {
        tests.delete(id);
        sessionTests.values().removeIf(id::equals);
        ex.sendEmpty(200);
      }
    });
  }
}
