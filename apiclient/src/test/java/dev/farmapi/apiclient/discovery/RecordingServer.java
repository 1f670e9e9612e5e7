package dev.farmapi.apiclient.discovery;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A server that answers every request with {@code 200 {"ok": true}} and keeps it, for what the
 * live Farm server cannot show: the exact headers, query and body a call sent.
 */
final class RecordingServer implements AutoCloseable {
  private final MockWebServer server = new MockWebServer();

  RecordingServer() throws IOException {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200)
            .setHeader("Content-Type", "application/json").body("{\"ok\": true}").build();
      }
    });
    server.start();
  }

  /** The root URL, ending in '/'. */
  String root() {
    return server.url("/").toString();
  }

  /** The next request the server received, in order. */
  RecordedRequest take() throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no request arrived");
    }
    return r;
  }

  /** The next request, or null when none arrives within {@code millis}. */
  RecordedRequest take(long millis) throws InterruptedException {
    return server.takeRequest(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    server.close();
  }
}
