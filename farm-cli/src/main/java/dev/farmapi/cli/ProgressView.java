package dev.farmapi.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Shows progress on stderr: a live bar (percent, bytes, rate, time left; files for a batch) on a
 * terminal, a plain line every few seconds otherwise (logs, pipes), nothing when quiet. Safe to
 * feed from many threads: a batch of parallel uploads shares one view. Result lines printed
 * through {@link #println} appear above the bar instead of tearing it.
 */
abstract class ProgressView implements AutoCloseable {
  private final String task;
  private long startAt; // bytes in place before this run: not counted in the rate
  private final long startNanos = System.nanoTime();
  private long done;
  private long total = -1;
  private int filesDone;
  private int filesTotal = -1;

  ProgressView(String task, long startAt) {
    this.task = task;
    this.startAt = startAt;
    this.done = startAt;
  }

  /** Bytes done so far, of {@code total} when known. */
  void update(long done, OptionalLong total) {
    synchronized (this) {
      this.done = done;
      this.total = total.orElse(-1);
    }
    changed();
  }

  /** Bytes in place without moving now (a skipped file, a resumed offset): not in the rate. */
  void alreadyDone(long bytes) {
    synchronized (this) {
      startAt += bytes;
    }
  }

  /** For a batch: how many of its files are finished (uploaded, skipped or failed). */
  void files(int finished, int of) {
    synchronized (this) {
      this.filesDone = finished;
      this.filesTotal = of;
    }
    changed();
  }

  /** Prints a result line on {@code out}, above the bar when there is one. */
  void println(PrintStream out, String line) {
    out.println(line);
    out.flush();
  }

  @Override
  public abstract void close();

  /** Called after every change; a view that draws at its own pace ignores it. */
  void changed() {}

  static ProgressView open(String task, long startAt, OptionalLong total, OutputOptions output,
      PrintStream err) {
    ProgressView view = output.quiet ? new Quiet(task)
        : OutputOptions.onTerminal() ? new Bar(task, startAt, err, TerminalWidth.columns())
        : new Lines(task, startAt, err, Duration.ofSeconds(2));
    view.update(startAt, total);
    return view;
  }

  /** The state to draw, taken at once. */
  synchronized Snapshot snapshot(long nowNanos) {
    double seconds = (nowNanos - startNanos) / 1e9;
    double rate = done <= startAt ? Double.NaN : (done - startAt) / Math.max(seconds, 1e-3);
    return new Snapshot(task, done, total, filesDone, filesTotal, rate);
  }

  /**
   * What a view draws.
   *
   * @param total bytes in all, -1 when unknown
   * @param filesTotal files in the batch, -1 for a single transfer
   * @param rate bytes per second since the start, NaN while nothing has moved
   */
  record Snapshot(String task, long done, long total, int filesDone, int filesTotal,
      double rate) {
    /** The plain line of logs: {@code Uploading x: 1.5 MiB of 6.0 MiB (25%), 2.0 MiB/s}. */
    String line() {
      StringBuilder b = new StringBuilder(task).append(": ");
      if (filesTotal >= 0) {
        b.append(filesDone).append(" of ").append(filesTotal).append(" files, ");
      }
      b.append(Sizes.format(done));
      if (total >= 0) {
        b.append(" of ").append(Sizes.format(total)).append(" (").append(percent()).append("%)");
      }
      return b.append(", ").append(Sizes.format(Double.isNaN(rate) ? 0 : (long) rate))
          .append("/s").toString();
    }

    /**
     * The bar of a terminal, at most {@code width} columns:
     * {@code Uploading x  42% [=====>      ] 1.7 MiB / 4.0 MiB  2.1 MiB/s  0:02 left}.
     */
    String bar(int width) {
      String files = filesTotal >= 0 ? filesDone + "/" + filesTotal + " files  " : "";
      String bytes = Sizes.format(done) + (total >= 0 ? " / " + Sizes.format(total) : "");
      String speed = "";
      if (!Double.isNaN(rate)) {
        speed = "  " + Sizes.format((long) rate) + "/s";
        if (total >= 0 && rate > 0 && done < total) {
          speed += "  " + clock((long) Math.ceil((total - done) / rate)) + " left";
        }
      }
      String head = total >= 0 ? String.format(Locale.ROOT, "%3d%% ", percent()) : "";
      // The richest line that fits: a narrow terminal loses the bar, then the files, the name.
      for (String tail : List.of(files + bytes + speed, bytes + speed, bytes)) {
        int cells = Math.min(30, width - 1 - task.length() - 2 - head.length() - tail.length() - 3);
        if (total >= 0 && cells >= 10) {
          return task + "  " + head + "[" + fill(cells - 2) + "] " + tail;
        }
        int room = width - 1 - 2 - head.length() - tail.length();
        if (room >= task.length()) {
          return task + "  " + head + tail;
        }
        if (room >= 8) {
          return task.substring(0, room - 3) + "...  " + head + tail;
        }
        if (head.length() + tail.length() < width) {
          return head + tail;
        }
      }
      String last = head + bytes;
      return last.substring(0, Math.min(last.length(), Math.max(0, width - 1)));
    }

    int percent() {
      return total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
    }

    private String fill(int cells) {
      int full = total <= 0 ? cells : (int) (cells * Math.min(1.0, (double) done / total));
      return "=".repeat(full) + (full < cells ? ">" + " ".repeat(cells - full - 1) : "");
    }

    private static String clock(long seconds) {
      return seconds >= 3600
          ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
          : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
  }

  private static final class Quiet extends ProgressView {
    Quiet(String task) {
      super(task, 0);
    }

    @Override
    public void close() {}
  }

  /** Redrawn in place five times a second by a thread of its own, and once more at the end. */
  private static final class Bar extends ProgressView {
    private static final String CLEAR_LINE = "\r\033[2K";
    private final PrintStream err;
    private final int width;
    private final Thread painter;
    private boolean closed;

    Bar(String task, long startAt, PrintStream err, int width) {
      super(task, startAt);
      this.err = err;
      this.width = width;
      this.painter = new Thread(this::paint, "farm-progress");
      painter.setDaemon(true);
      painter.start();
    }

    private void paint() {
      try {
        while (true) {
          synchronized (err) {
            if (closed) {
              return;
            }
            draw();
          }
          Thread.sleep(200);
        }
      } catch (InterruptedException e) {
        // closed
      }
    }

    private void draw() {
      err.print(CLEAR_LINE + snapshot(System.nanoTime()).bar(width));
      err.flush();
    }

    @Override
    void println(PrintStream out, String line) {
      synchronized (err) {
        err.print(CLEAR_LINE);
        err.flush();
        out.println(line);
        out.flush();
        if (!closed) {
          draw();
        }
      }
    }

    @Override
    public void close() {
      synchronized (err) {
        if (closed) {
          return;
        }
        closed = true;
        draw();
        err.println();
        err.flush();
      }
      painter.interrupt();
    }
  }

  /** One line every {@code every} (and a last one): for logs, where a bar would be noise. */
  static final class Lines extends ProgressView {
    private final PrintStream err;
    private final long everyNanos;
    private long lastNanos = System.nanoTime();
    private boolean closed;

    Lines(String task, long startAt, PrintStream err, Duration every) {
      super(task, startAt);
      this.err = err;
      this.everyNanos = every.toNanos();
    }

    @Override
    void changed() {
      long now = System.nanoTime();
      synchronized (this) {
        if (closed || now - lastNanos < everyNanos) {
          return;
        }
        lastNanos = now;
      }
      err.println(snapshot(now).line());
    }

    @Override
    public void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      err.println(snapshot(System.nanoTime()).line());
    }
  }
}
