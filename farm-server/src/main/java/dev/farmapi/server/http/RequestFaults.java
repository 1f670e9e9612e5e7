package dev.farmapi.server.http;

import dev.farmapi.server.ApiException;
import dev.farmapi.server.upload.BodySink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The faults one request opted into, through {@code x-retry-test-id} or through the session it
 * belongs to, with the points where each kind fires: at the start, inside the request body, at
 * the completion of an upload, or inside a download.
 */
final class RequestFaults {
  static final RequestFaults NONE = new RequestFaults(null, "", uploadId -> { });

  private final RetryTests.RetryTest test;
  private final String methodId;
  private final Consumer<String> sessionBinder;

  /** {@code sessionBinder} makes a new session's later requests count for this test. */
  RequestFaults(RetryTests.RetryTest test, String methodId, Consumer<String> sessionBinder) {
    this.test = test;
    this.methodId = methodId;
    this.sessionBinder = sessionBinder;
  }

  /** The session this request initiated takes this request's retry test with it. */
  void bindSession(String uploadId) {
    sessionBinder.accept(uploadId);
  }

  /** A failure the handler reports as {@code status} after keeping what the body delivered. */
  static final class InjectedFault extends IOException {
    final int status;

    InjectedFault(int status, String text) {
      super("fault injected by retry test: " + text);
      this.status = status;
    }
  }

  /** Tells the handler to reset the connection instead of answering. */
  static final class ResetConnection extends RuntimeException {
    ResetConnection() {
      super("return-reset-connection", null, false, false);
    }
  }

  /**
   * Fires the faults due before the handler runs: {@code return-<code>} and reset, and a stall
   * at 0 bytes of a request without media. Returns a body fault to arm, if one is due.
   */
  Optional<Fault> atStart(boolean carriesMedia) throws InterruptedException {
    if (test == null) {
      return Optional.empty();
    }
    Optional<Fault> fault = test.take(methodId, f -> f instanceof Fault.Return
        || f instanceof Fault.Reset
        || (carriesMedia && (f instanceof Fault.ReturnAfter || f instanceof Fault.Stall))
        || (f instanceof Fault.Stall s && s.bytes() == 0));
    if (fault.isEmpty()) {
      return Optional.empty();
    }
    Fault f = fault.get();
    if (f instanceof Fault.Return r) {
      throw new ApiException(r.status(), "injectedFault", "fault injected by retry test "
          + test.id + ": " + f.text());
    }
    if (f instanceof Fault.Reset) {
      throw new ResetConnection();
    }
    if (!carriesMedia && f instanceof Fault.Stall s) {
      Thread.sleep(s.pause().toMillis());
      return Optional.empty();
    }
    return fault;
  }

  /** The body, with an armed fault (from {@link #atStart}) inside it. */
  static ReadableByteChannel wrap(ReadableByteChannel body, Optional<Fault> armed) {
    return armed.<ReadableByteChannel>map(f -> new FaultyBody(body, f)).orElse(body);
  }

  /** The body's sink, with an armed fault (from {@link #atStart}) in front of it. */
  static <T> BodySink<T> wrap(BodySink<T> sink, Optional<Fault> armed) {
    return armed.<BodySink<T>>map(f -> new FaultySink<>(sink, f)).orElse(sink);
  }

  /**
   * Fires an armed body fault of a request answered without reading its body (a chunk the
   * session already holds): as a body shorter than the fault's N KiB, it fires at once.
   */
  static void fireUnread(Optional<Fault> armed) throws IOException {
    if (armed.isPresent()) {
      fire(armed.get());
    }
  }

  /** A body fault's effect: {@code -after-N} fails the body, a stall pauses it. */
  static void fire(Fault fault) throws IOException {
    if (fault instanceof Fault.ReturnAfter r) {
      throw new InjectedFault(r.status(), r.text());
    }
    try {
      Thread.sleep(((Fault.Stall) fault).pause().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException();
    }
  }

  /** Where in the body an armed fault fires. */
  static long firesAt(Fault fault) {
    return fault instanceof Fault.ReturnAfter r ? r.bytes() : ((Fault.Stall) fault).bytes();
  }

  /**
   * Fires an armed body fault that has not fired yet because its handler read the body only to
   * its declared length, which is shorter than the fault's N KiB (a 256 KiB chunk and
   * {@code -after-300K}): "keeps all of it if shorter, then answers". Without this such a fault
   * was consumed and did nothing. Call once the handler has read what it wanted of the body.
   */
  static void fireAtEnd(ReadableByteChannel body) throws IOException {
    if (body instanceof FaultyBody faulty && !faulty.fired) {
      faulty.fire();
    }
  }

  /** {@code return-broken-stream-final-chunk-after-<N>B}, if due when an upload completes. */
  Optional<Fault.BrokenFinal> atCompletion() {
    return test == null
        ? Optional.empty()
        : test.take(methodId, f -> f instanceof Fault.BrokenFinal).map(Fault.BrokenFinal.class::cast);
  }

  /** Faults of a media download: the start faults, plus a stream broken or stalled midway. */
  Optional<Fault> atDownload() throws InterruptedException {
    if (test == null) {
      return Optional.empty();
    }
    Optional<Fault> streamFault =
        test.take(methodId, f -> f instanceof Fault.BrokenStream || f instanceof Fault.Stall);
    return streamFault.isPresent() ? streamFault : atStart(false);
  }

  /** Delivers the body up to the fault's byte count (or the body's end), then fires it. */
  private static final class FaultyBody implements ReadableByteChannel {
    private final ReadableByteChannel body;
    private final Fault fault;
    private final long at;
    private long read;
    private boolean fired;

    FaultyBody(ReadableByteChannel body, Fault fault) {
      this.body = body;
      this.fault = fault;
      this.at = firesAt(fault);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      if (!fired && read >= at) {
        fire();
      }
      ByteBuffer limited = dst;
      if (!fired && dst.remaining() > at - read) {
        limited = dst.slice(dst.position(), (int) (at - read));
      }
      int n = body.read(limited);
      if (limited != dst && n > 0) {
        dst.position(dst.position() + n);
      }
      if (n < 0 && !fired) {
        fire(); // the body ended before N KiB: the fault still fires, after all of it
      }
      if (n > 0) {
        read += n;
      }
      return n;
    }

    private void fire() throws IOException {
      fired = true;
      RequestFaults.fire(fault);
    }

    @Override
    public boolean isOpen() {
      return body.isOpen();
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }
}
