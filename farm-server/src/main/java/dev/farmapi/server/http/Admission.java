package dev.farmapi.server.http;

import dev.farmapi.server.ApiException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * The front door, on Jetty's threads and never waiting: answers {@code /healthz} at once, serves
 * {@code /metrics} on a thread of its own, and lets at most {@code maxRequests} requests in at
 * once, each handled on the workers; one more is answered 503 with {@code Retry-After} at once,
 * not queued. A request counts from its head to its answer, including while its body arrives
 * (which costs memory, not a thread), so the limit can be in the thousands.
 *
 * <p>Once a request's farm is known (its key, or its session), {@link #enterFarm} counts it
 * against the farm's share, so that one tenant's flood leaves room for the others: past
 * {@code maxPerFarm}, 429 with {@code Retry-After}.
 */
public final class Admission extends Handler.Wrapper {
  private static final String TICKET = Admission.class.getName() + ".ticket";
  private static final byte[] HEALTHY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
  /** Seconds a refused client is asked to wait: short, the refusal is about this moment. */
  static final int RETRY_AFTER_SECONDS = 1;

  private final Executor workers;
  private final Executor ops;
  private final int maxRequests;
  private final int maxPerFarm;
  private final ServerMetrics metrics;
  private final OverloadLog overload;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> farms = new ConcurrentHashMap<>();

  /**
   * @param workers runs the requests let in
   * @param ops runs {@code /metrics}, apart from the requests, so that it never queues
   */
  public Admission(Handler next, Executor workers, Executor ops, int maxRequests, int maxPerFarm,
      ServerMetrics metrics, OverloadLog overload) {
    super(next);
    this.workers = workers;
    this.ops = ops;
    this.maxRequests = maxRequests;
    this.maxPerFarm = maxPerFarm;
    this.metrics = metrics;
    this.overload = overload;
    metrics.gauge("farm.requests.inflight", "Requests let in and not yet answered",
        inFlight::get);
  }

  @Override
  public InvocationType getInvocationType() {
    return Invocable.InvocationType.NON_BLOCKING; // every blocking step goes to the workers
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    boolean read = request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
    if (read && path.equals("/healthz")) {
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) HEALTHY.length);
      response.write(true, ByteBuffer.wrap(HEALTHY), callback);
      return true;
    }
    if (read && path.equals("/metrics")) {
      dispatch(ops, request, response, callback);
      return true;
    }
    if (inFlight.incrementAndGet() > maxRequests) {
      inFlight.decrementAndGet();
      metrics.refused("overloaded");
      refuse(response, callback, 503, "serverBusy", "the server is at its limit of "
          + maxRequests + " requests at once; retry after " + RETRY_AFTER_SECONDS + " s");
      overload.record(OverloadLog.Event.OVERLOADED);
      return true;
    }
    Ticket ticket = new Ticket();
    request.setAttribute(TICKET, ticket);
    Request.addCompletionListener(request, failure -> ticket.release());
    dispatch(workers, request, response, callback);
    return true;
  }

  private void dispatch(Executor on, Request request, Response response, Callback callback) {
    try {
      on.execute(() -> {
        try {
          if (!super.handle(request, response, callback)) {
            Response.writeError(request, response, callback, 404);
          }
        } catch (Throwable e) {
          callback.failed(e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      refuse(response, callback, 503, "serverBusy", "the server is stopping");
    }
  }

  private void refuse(Response response, Callback callback, int status, String reason,
      String message) {
    metrics.error(status, reason);
    response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
    Exchange.writeError(response, callback, new ApiException(status, reason, message));
  }

  /**
   * Counts the request of {@code ex} against {@code farm}'s share.
   *
   * @throws ApiException 429 with {@code Retry-After} when the farm has its share in flight
   */
  static void enterFarm(Exchange ex, String farm) {
    if (farm != null && ex.request.getAttribute(TICKET) instanceof Ticket ticket) {
      ticket.enter(ex, farm);
    }
  }

  /** One request let in: released once, when its exchange is over. */
  private final class Ticket {
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile String farm;

    void enter(Exchange ex, String farm) {
      if (this.farm != null) {
        return;
      }
      int n = farms.merge(farm, 1, Integer::sum);
      if (n > maxPerFarm) {
        leave(farm);
        ex.response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
        metrics.refused("farmShare"); // its 429 is counted when it is answered
        overload.record(OverloadLog.Event.FARM_SHARE);
        throw new ApiException(429, "rateLimitExceeded", "this farm has " + maxPerFarm
            + " requests in flight, its share of the server; retry after "
            + RETRY_AFTER_SECONDS + " s");
      }
      this.farm = farm;
    }

    void release() {
      if (released.getAndSet(true)) {
        return;
      }
      inFlight.decrementAndGet();
      String f = farm;
      if (f != null) {
        leave(f);
      }
    }

    private void leave(String farm) {
      farms.computeIfPresent(farm, (k, n) -> n <= 1 ? null : n - 1);
    }
  }
}
