package dev.farmapi.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a transfer's progress on stderr: a live bar (bytes, percent, rate, ETA) on a terminal,
 * a plain line every few seconds otherwise (logs, pipes), nothing when quiet.
 */
abstract class ProgressView implements AutoCloseable {

  /** Bytes done so far, of {@code total} when known. */
  abstract void update(long done, OptionalLong total);

  @Override
  public abstract void close();

  static ProgressView open(String task, long startAt, OptionalLong total, OutputOptions output,
      PrintStream err) {
    if (output.quiet) {
      return new Quiet();
    }
    return OutputOptions.onTerminal()
        ? new Bar(task, startAt, total, err)
        : new Lines(task, startAt, err, Duration.ofSeconds(2));
  }

  private static final class Quiet extends ProgressView {
    @Override
    void update(long done, OptionalLong total) {}


    @Override
    public void close() {}
  }

  private static final class Bar extends ProgressView {
    private final ProgressBar bar;

    Bar(String task, long startAt, OptionalLong total, PrintStream err) {
      bar = new ProgressBarBuilder()
          .setTaskName(task)
          .setInitialMax(total.orElse(-1))
          .setUnit("MiB", 1 << 20)
          .showSpeed()
          .startsFrom(startAt, Duration.ZERO) // a resumed upload's rate counts only new bytes
          .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
          .setConsumer(new ConsoleProgressBarConsumer(err))
          .build();
    }

    @Override
    void update(long done, OptionalLong total) {
      if (total.isPresent() && bar.getMax() != total.getAsLong()) {
        bar.maxHint(total.getAsLong());
      }
      bar.stepTo(done);
    }


    @Override
    public void close() {
      bar.close();
    }
  }

  /** One line every {@code every} (and a last one): for logs, where a bar would be noise. */
  static final class Lines extends ProgressView {
    private final String task;
    private final PrintStream err;
    private final long everyNanos;
    private final long startNanos = System.nanoTime();
    private final long startAt;
    private long lastNanos;
    private long done;
    private OptionalLong total = OptionalLong.empty();

    Lines(String task, long startAt, PrintStream err, Duration every) {
      this.task = task;
      this.startAt = startAt;
      this.err = err;
      this.everyNanos = every.toNanos();
      this.lastNanos = startNanos;
    }

    @Override
    void update(long done, OptionalLong total) {
      this.done = done;
      this.total = total;
      long now = System.nanoTime();
      if (now - lastNanos >= everyNanos) {
        lastNanos = now;
        err.println(line(now));
      }
    }

    @Override
    public void close() {
      err.println(line(System.nanoTime()));
    }

    String line(long now) {
      double seconds = Math.max((now - startNanos) / 1e9, 1e-3);
      String rate = Sizes.format((long) ((done - startAt) / seconds)) + "/s";
      if (total.isEmpty()) {
        return task + ": " + Sizes.format(done) + ", " + rate;
      }
      long t = total.getAsLong();
      int percent = t == 0 ? 100 : (int) (done * 100 / t);
      return String.format(Locale.ROOT, "%s: %s of %s (%d%%), %s", task, Sizes.format(done),
          Sizes.format(t), percent, rate);
    }
  }
}
