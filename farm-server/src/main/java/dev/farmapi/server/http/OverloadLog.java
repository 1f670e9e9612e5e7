package dev.farmapi.server.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator when the server starts refusing requests or cutting clients, with counts,
 * in at most one WARN line per interval however hard it is hit: the first event after a quiet
 * interval is logged at once, later ones are counted and summed up when the interval is over
 * (the next event or {@link #flush}, which the server calls once per interval), and the first
 * quiet interval after them is logged as the end. {@code /metrics} has the same counts for
 * graphs; this is for the person reading the log.
 */
public final class OverloadLog {
  /** What is counted, in the order the line lists it. */
  enum Event {
    OVERLOADED("requests refused with 503 (server at its limit of requests)"),
    FARM_SHARE("requests refused with 429 (a farm past its share)"),
    BODY_CUT("slow or silent request bodies cut with 408"),
    RESPONSE_CUT("downloads cut for reading slower than the minimum rate"),
    ADDRESS_LIMIT("connections refused (an address past its connection limit)");

    final String text;

    Event(String text) {
      this.text = text;
    }
  }

  private static final Logger log = LoggerFactory.getLogger(OverloadLog.class);

  private final long intervalNanos;
  private final AtomicLongArray counts = new AtomicLongArray(Event.values().length);
  private final AtomicLong lastLine = new AtomicLong();
  private volatile boolean active;

  public OverloadLog(Duration interval) {
    this.intervalNanos = interval.toNanos();
    this.lastLine.set(System.nanoTime() - intervalNanos);
  }

  void record(Event event) {
    counts.incrementAndGet(event.ordinal());
    long last = lastLine.get();
    long now = System.nanoTime();
    if (now - last >= intervalNanos && lastLine.compareAndSet(last, now)) {
      writeLine(now - last);
    }
  }

  /** Sums up the interval that ended: the server calls it once per interval. */
  public void flush() {
    long now = System.nanoTime();
    long last = lastLine.get();
    if (now - last < intervalNanos || (!active && !pending())
        || !lastLine.compareAndSet(last, now)) {
      return; // too soon, or quiet with nothing to say: the next event is told at once
    }
    if (!writeLine(now - last) && active) {
      active = false;
      log.info("overload over: no request refused and no client cut in the last {} s",
          Duration.ofNanos(now - last).toSeconds());
    }
  }

  private boolean pending() {
    for (int i = 0; i < counts.length(); i++) {
      if (counts.get(i) > 0) {
        return true;
      }
    }
    return false;
  }

  /** Logs and resets the counts of the {@code elapsed} since the last line; false if none. */
  private boolean writeLine(long elapsed) {
    List<String> parts = new ArrayList<>();
    for (Event e : Event.values()) {
      long n = counts.getAndSet(e.ordinal(), 0);
      if (n > 0) {
        parts.add(n + " " + e.text);
      }
    }
    if (parts.isEmpty()) {
      return false;
    }
    if (active) {
      log.warn("overload goes on: {} in the last {} s", String.join(", ", parts),
          Math.max(1, Duration.ofNanos(elapsed).toSeconds()));
    } else {
      active = true;
      log.warn("overload: {}; at most one such line per {} s follows while it lasts",
          String.join(", ", parts), Duration.ofNanos(intervalNanos).toSeconds());
    }
    return true;
  }
}
