package dev.farmapi.server.http;

import dev.farmapi.server.upload.BodySink;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A body fault in front of a sink: the first N bytes go through, then the fault fires; a body
 * shorter than N fires it at its end, once all of it went through. {@code return-<code>-after-N}
 * fails the body there (the sink keeps what it keeps of a broken body, as for a real broken
 * connection); {@code stall-for-T-after-N} pauses, then the rest goes on.
 */
final class FaultySink<T> implements BodySink<T> {
  private final BodySink<T> sink;
  private final Fault fault;
  private final long at;
  private long passed;
  private boolean fired;

  FaultySink(BodySink<T> sink, Fault fault) {
    this.sink = sink;
    this.fault = fault;
    this.at = RequestFaults.firesAt(fault);
  }

  @Override
  public void write(ByteBuffer bytes) throws IOException {
    if (!fired && passed + bytes.remaining() > at) {
      int before = (int) (at - passed);
      if (before > 0) {
        sink.write(bytes.slice(bytes.position(), before));
        bytes.position(bytes.position() + before);
        passed += before;
      }
      fire();
    }
    passed += bytes.remaining();
    sink.write(bytes);
  }

  @Override
  public T end() throws IOException {
    if (!fired) {
      fire();
    }
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

  private void fire() throws IOException {
    fired = true;
    try {
      RequestFaults.fire(fault);
    } catch (RequestFaults.InjectedFault injected) {
      sink.fail(injected); // keeps what the sink keeps of a broken body, then throws it
      throw injected;
    }
  }
}
