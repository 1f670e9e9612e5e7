package dev.farmapi.server.http;

import dev.farmapi.server.store.Animal;
import dev.farmapi.server.store.MetadataStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * The counters behind {@code /metrics} (Prometheus text format): uploads by type, bytes in and
 * out, sessions, and errors by status and reason. Counters only, never animal data, since the
 * endpoint needs no key.
 */
final class ServerMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter receivedBytes = Counter.builder("farm.upload.received.bytes")
      .description("Media bytes received in upload request bodies").register(registry);
  private final Counter downloadedBytes = Counter.builder("farm.download.sent.bytes")
      .description("Media bytes sent by downloads").register(registry);
  private final Counter sessionsStarted = Counter.builder("farm.upload.sessions.started")
      .description("Resumable upload sessions initiated").register(registry);

  ServerMetrics(MetadataStore meta) {
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
