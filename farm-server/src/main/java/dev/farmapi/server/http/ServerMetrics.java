package dev.farmapi.server.http;

import dev.farmapi.server.store.Animal;
import dev.farmapi.server.store.MetadataStore;
import dev.farmapi.server.upload.BodySink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * The counters behind {@code /metrics} (Prometheus text format): uploads by type, bytes in and
 * out, sessions, errors by status and reason (every 503, 429 and 408 among them), requests
 * refused by the admission limits, connections cut, and the load gauges. Counters only, never
 * animal data, since the endpoint needs no key.
 */
public final class ServerMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter receivedBytes = Counter.builder("farm.upload.received.bytes")
      .description("Media bytes received in upload request bodies").register(registry);
  private final Counter downloadedBytes = Counter.builder("farm.download.sent.bytes")
      .description("Media bytes sent by downloads").register(registry);
  private final Counter sessionsStarted = Counter.builder("farm.upload.sessions.started")
      .description("Resumable upload sessions initiated").register(registry);

  public ServerMetrics(MetadataStore meta) {
    Gauge.builder("farm.upload.sessions.receiving", meta, MetadataStore::receivingSessionCount)
        .description("Resumable sessions still receiving bytes").register(registry);
  }

  void uploadCompleted(String uploadType, Animal animal) {
    Counter.builder("farm.uploads").description("Completed uploads by uploadType")
        .tag("type", uploadType).register(registry).increment();
    Counter.builder("farm.upload.stored.bytes").description("Media bytes of completed uploads")
        .tag("type", uploadType).register(registry).increment(animal.media().size());
  }

  void sessionStarted() {
    sessionsStarted.increment();
  }

  void downloadedBytes(long n) {
    downloadedBytes.increment(n);
  }

  void error(int status, String reason) {
    Counter.builder("farm.errors").description("Error responses by status and reason")
        .tag("status", Integer.toString(status)).tag("reason", reason)
        .register(registry).increment();
  }

  /**
   * A request refused at once by the admission limits: {@code overloaded} (its 503 is counted
   * with the errors too) or {@code farmShare} (its 429 likewise).
   */
  void refused(String reason) {
    Counter.builder("farm.requests.refused")
        .description("Requests refused at once by the admission limits, by reason")
        .tag("reason", reason).register(registry).increment();
  }

  /**
   * A connection the server cut: {@code bodyTimeout} (a body silent for the body timeout),
   * {@code bodyTooSlow} (below the minimum rate), {@code responseTooSlow} (a download read
   * below the minimum rate), {@code perAddressLimit},
   * {@code incompleteHead} (closed before its first request's head was complete: a slow-loris
   * cut by the head timeout, or a client that gave up).
   */
  void cut(String reason) {
    Counter.builder("farm.connections.cut").description("Connections cut by the server, by reason")
        .tag("reason", reason).register(registry).increment();
  }

  /** A gauge read at each scrape. */
  public void gauge(String name, String description,
      java.util.function.Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  /** Counts the bytes pushed through a request body's sink. */
  <T> BodySink<T> countUploadBytes(BodySink<T> sink) {
    return new BodySink<>() {
      @Override
      public void write(ByteBuffer bytes) throws IOException {
        receivedBytes.increment(bytes.remaining());
        sink.write(bytes);
      }

      @Override
      public T end() throws IOException {
        return sink.end();
      }

      @Override
      public T fail(IOException cause) throws IOException {
        return sink.fail(cause);
      }

      @Override
      public void abandon() {
        sink.abandon();
      }
    };
  }

  /** Counts the bytes read through a request body. */
  ReadableByteChannel countUploadBytes(ReadableByteChannel body) {
    return new ReadableByteChannel() {
      @Override
      public int read(ByteBuffer dst) throws IOException {
        int n = body.read(dst);
        if (n > 0) {
          receivedBytes.increment(n);
        }
        return n;
      }

      @Override
      public boolean isOpen() {
        return body.isOpen();
      }

      @Override
      public void close() throws IOException {
        body.close();
      }
    };
  }

  String scrape() {
    return registry.scrape();
  }
}
