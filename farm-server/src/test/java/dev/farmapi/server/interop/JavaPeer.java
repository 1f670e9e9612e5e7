package dev.farmapi.server.interop;

import com.google.api.client.http.HttpBackOffIOExceptionHandler;
import com.google.api.client.http.HttpBackOffUnsuccessfulResponseHandler;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.util.ExponentialBackOff;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How the tests configure google-api-java-client, as an application would: the API key on every
 * request, optionally the retry handlers the library offers, optionally a retry-test id. It also
 * records every attempt the peer makes (the execute interceptor runs once per attempt, retries
 * included), so tests can assert what the peer really sent.
 */
final class JavaPeer implements HttpRequestInitializer {
  private final String key;
  private final List<String> attempts = Collections.synchronizedList(new ArrayList<>());
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private boolean retries;
  private String retryTestId;
  private boolean retryTestOnInitiation;
  private volatile String sessionUri;

  JavaPeer(String key) {
    this.key = key;
  }

  /**
   * Installs the library's own retry handlers: {@link HttpBackOffUnsuccessfulResponseHandler}
   * (5xx) and {@link HttpBackOffIOExceptionHandler}, with a short exponential back-off.
   */
  JavaPeer withRetries() {
    this.retries = true;
    return this;
  }

  /** Sends {@code x-retry-test-id} on the session's PUTs (and on the initiation if asked). */
  JavaPeer withRetryTest(String id, boolean onInitiationToo) {
    this.retryTestId = id;
    this.retryTestOnInitiation = onInitiationToo;
    return this;
  }

  @Override
  public void initialize(HttpRequest request) {
    request.getHeaders().setAuthorization("Bearer " + key);
    if (retries) {
      HttpBackOffUnsuccessfulResponseHandler onStatus =
          new HttpBackOffUnsuccessfulResponseHandler(backOff());
      HttpBackOffIOExceptionHandler onIoException = new HttpBackOffIOExceptionHandler(backOff());
      request.setUnsuccessfulResponseHandler((r, response, supportsRetry) -> {
        failures.add(Integer.toString(response.getStatusCode()));
        return onStatus.handleResponse(r, response, supportsRetry);
      });
      request.setIOExceptionHandler((r, supportsRetry) -> {
        failures.add("IOException");
        return onIoException.handleIOException(r, supportsRetry);
      });
    }
    // The factory sets the method after the initializer runs: decide per attempt, here.
    request.setInterceptor(r -> {
      if (retryTestId != null && (retryTestOnInitiation || r.getRequestMethod().equals("PUT"))) {
        r.getHeaders().set("x-retry-test-id", retryTestId);
      }
      attempts.add(describe(r));
      if (r.getRequestMethod().equals("PUT")) {
        sessionUri = r.getUrl().build();
      }
    });
  }

  /** The session URI the peer PUT its chunks to (null before the first chunk). */
  String sessionUri() {
    return sessionUri;
  }

  /**
   * Each attempt as "METHOD what [gzip]": the upload type of a POST, the Content-Range of a PUT,
   * and whether the body went out gzip-encoded.
   */
  List<String> attempts() {
    synchronized (attempts) {
      return List.copyOf(attempts);
    }
  }

  /**
   * What the retry handlers were handed, in order: a status code (308s included: the peer runs
   * its unsuccessful-response handler on every non-2xx) or "IOException".
   */
  List<String> failures() {
    synchronized (failures) {
      return List.copyOf(failures);
    }
  }

  private static String describe(HttpRequest r) {
    String what = r.getRequestMethod().equals("PUT")
        ? r.getHeaders().getContentRange()
        : String.valueOf(r.getUrl().getFirst("uploadType"));
    return r.getRequestMethod() + " " + what + (r.getEncoding() != null ? " gzip" : "");
  }

  private static ExponentialBackOff backOff() {
    return new ExponentialBackOff.Builder()
        .setInitialIntervalMillis(20)
        .setMaxIntervalMillis(200)
        .setMaxElapsedTimeMillis(30_000)
        .build();
  }
}
