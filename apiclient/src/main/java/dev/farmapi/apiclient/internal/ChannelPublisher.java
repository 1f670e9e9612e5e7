package dev.farmapi.apiclient.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body read from a channel only as fast as the network takes it: at most one 256 KiB
 * buffer is read ahead per unit of the HTTP client's demand, so a chunk of any size costs
 * constant memory. Each subscription (a new attempt) opens the source afresh; progress and
 * checksums are decorators on the source's channel ({@link ObservingChannel}).
 */
public final class ChannelPublisher implements Flow.Publisher<ByteBuffer> {
  static final int BUFFER_SIZE = 256 * 1024;

  private final Transport.Source source;
  private final long length;
  private volatile long lastActivityNanos = System.nanoTime();

  /** @param length the exact body length, or -1 to send until the source ends */
  public ChannelPublisher(Transport.Source source, long length) {
    this.source = source;
    this.length = length;
  }

  /** Nanoseconds since a buffer was last handed over (or since creation). */
  public long idleNanos() {
    return System.nanoTime() - lastActivityNanos;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    lastActivityNanos = System.nanoTime();
    subscriber.onSubscribe(new Subscription(subscriber));
  }

  private final class Subscription implements Flow.Subscription {
    private final Flow.Subscriber<? super ByteBuffer> subscriber;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private ReadableByteChannel channel; // confined to the draining thread
    private long sent;
    private volatile boolean finished;

    Subscription(Flow.Subscriber<? super ByteBuffer> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        fail(new IllegalArgumentException("demand must be positive: " + n));
        return;
      }
      demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
      drain();
    }

    @Override
    public void cancel() {
      finished = true;
      closeQuietly();
    }

    /** Emits while there is demand; re-entrant calls (request from onNext) just add work. */
    private void drain() {
      if (wip.getAndIncrement() != 0) {
        return;
      }
      do {
        while (!finished && demand.get() > 0) {
          emit();
          demand.decrementAndGet();
        }
      } while (wip.decrementAndGet() != 0);
    }

    private void emit() {
      ByteBuffer buffer;
      boolean end;
      try {
        if (channel == null) {
          channel = source.open();
        }
        long left = length < 0 ? BUFFER_SIZE : length - sent;
        buffer = ByteBuffer.allocate((int) Math.min(BUFFER_SIZE, left));
        end = false;
        while (buffer.hasRemaining()) {
          if (channel.read(buffer) < 0) {
            end = true;
            break;
          }
        }
        if (end && length >= 0) {
          throw new IOException("the media ended after " + (sent + buffer.position())
              + " of " + length + " bytes");
        }
      } catch (IOException | RuntimeException e) {
        fail(new MediaSourceException("reading the media failed: " + e.getMessage(), e));
        return;
      }
      buffer.flip();
      if (buffer.hasRemaining()) {
        sent += buffer.remaining();
        lastActivityNanos = System.nanoTime();
        subscriber.onNext(buffer);
      }
      if (end || sent == length) {
        finished = true;
        closeQuietly();
        subscriber.onComplete();
      }
    }

    private void fail(Throwable t) {
      finished = true;
      closeQuietly();
      subscriber.onError(t);
    }

    private void closeQuietly() {
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException e) {
        // nothing left to read from it anyway
      }
    }
  }
}
