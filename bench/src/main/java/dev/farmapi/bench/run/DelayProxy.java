package dev.farmapi.bench.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A wide-area link on loopback: a TCP proxy that holds every byte, in each direction, for a
 * fixed delay before passing it on, so that a round trip through it takes twice that. The
 * kernel here has no {@code netem} qdisc (docs/BENCHMARKS.md), hence a proxy. It adds delay
 * only, not loss: TCP on loopback would hide a dropped segment from both ends anyway. At most
 * {@code QUEUE} reads of up to 64 KiB are in flight per direction (a 16 MiB window).
 */
public final class DelayProxy implements AutoCloseable {
  private static final int READ = 64 * 1024;
  private static final int QUEUE = 256;
  private static final byte[] END = new byte[0];

  private final ServerSocket listener;
  private final URI target;
  private final long delayNanos;

  private DelayProxy(ServerSocket listener, URI target, long delayNanos) {
    this.listener = listener;
    this.target = target;
    this.delayNanos = delayNanos;
  }

  /** Listens on a free loopback port; each connection is passed to {@code target}'s port. */
  public static DelayProxy start(URI target, long oneWayDelayMillis) throws IOException {
    DelayProxy proxy = new DelayProxy(new ServerSocket(0, 128, InetAddress.getLoopbackAddress()),
        target, TimeUnit.MILLISECONDS.toNanos(oneWayDelayMillis));
    daemon("delay-proxy", proxy::accept);
    return proxy;
  }

  /** The target's root URL, through the proxy. */
  public URI root() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort() + target.getRawPath());
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(target.getHost(), target.getPort());
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        pipe(client, server);
        pipe(server, client);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** Bytes from {@code from} reach {@code to} after the delay. */
  private void pipe(Socket from, Socket to) {
    BlockingQueue<Object[]> held = new ArrayBlockingQueue<>(QUEUE);
    daemon("delay-read", () -> {
      byte[] buffer = new byte[READ];
      try (InputStream in = from.getInputStream()) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          held.put(new Object[] {System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)});
        }
      } catch (IOException | InterruptedException e) {
        // the connection ended
      }
      try {
        held.put(new Object[] {System.nanoTime() + delayNanos, END});
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    daemon("delay-write", () -> {
      try {
        OutputStream out = to.getOutputStream();
        while (true) {
          Object[] next = held.take();
          long wait = (long) next[0] - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          byte[] bytes = (byte[]) next[1];
          if (bytes == END) {
            to.shutdownOutput();
            return;
          }
          out.write(bytes);
        }
      } catch (IOException | InterruptedException e) {
        closeQuietly(from);
        closeQuietly(to);
      }
    });
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already gone
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
