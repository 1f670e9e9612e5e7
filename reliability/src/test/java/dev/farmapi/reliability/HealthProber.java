package dev.farmapi.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Probes {@code GET /healthz} every {@code interval} on a new connection each time, as a load
 * balancer or Kubernetes does, and keeps every probe's latency (or its failure) with the phase
 * it fell in.
 */
final class HealthProber implements AutoCloseable {
  /** One probe: its phase, and its latency in microseconds, or -1 when it got no 200. */
  record Probe(String phase, long micros) {}

  /** The probes of one phase, summed up. */
  record Stats(int probes, int failed, double p50Millis, double p99Millis, double maxMillis) {
    @Override
    public String toString() {
      return String.format("%d probes, %d failed, p50 %.1f ms, p99 %.1f ms, max %.1f ms",
          probes, failed, p50Millis, p99Millis, maxMillis);
    }
  }

  private final URI server;
  private final long intervalMillis;
  private final List<Probe> probes = new ArrayList<>();
  private final Thread thread;
  private volatile String phase = "idle";
  private volatile boolean running = true;

  HealthProber(URI server, long intervalMillis) {
    this.server = server;
    this.intervalMillis = intervalMillis;
    this.thread = new Thread(this::run, "health-prober");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  void phase(String name) {
    this.phase = name;
  }

  private void run() {
    while (running) {
      long start = System.nanoTime();
      String at = phase;
      long micros = probeOnce() ? (System.nanoTime() - start) / 1000 : -1;
      synchronized (probes) {
        probes.add(new Probe(at, micros));
      }
      long sleep = intervalMillis - (System.nanoTime() - start) / 1_000_000;
      if (sleep > 0) {
        try {
          Thread.sleep(sleep);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private boolean probeOnce() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), 10_000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: " + server.getHost()
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      byte[] head = in.readNBytes(12);
      in.readAllBytes();
      return new String(head, StandardCharsets.US_ASCII).equals("HTTP/1.1 200");
    } catch (IOException e) {
      return false;
    }
  }

  /** The probes of {@code phase} so far. */
  Stats stats(String phase) {
    List<Long> ok = new ArrayList<>();
    int failed = 0;
    synchronized (probes) {
      for (Probe p : probes) {
        if (p.phase().equals(phase)) {
          if (p.micros() < 0) {
            failed++;
          } else {
            ok.add(p.micros());
          }
        }
      }
    }
    ok.sort(null);
    return new Stats(ok.size() + failed, failed, percentile(ok, 0.50), percentile(ok, 0.99),
        ok.isEmpty() ? 0 : ok.get(ok.size() - 1) / 1000.0);
  }

  private static double percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1))) / 1000.0;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(15_000);
  }
}
