package dev.farmapi.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the files of one command ({@code farm upload PATH...}, {@code farm download ID...}) on
 * {@code -j} threads that share one client, and so its kept connections: one progress view for
 * all of them (files, bytes, rate, time left), a line per finished file above it (or a JSON
 * object per line), a summary, and an exit code that is not 0 when any file failed.
 *
 * <p>A failure that every other file would meet too (the key is refused, the server cannot be
 * reached) stops the batch: the files not begun are left for a rerun, and it is said once.
 */
final class Batch {
  /** One file's work. */
  interface Task {
    /** The file's name in messages. */
    String name();

    /** Its size when known before it starts, else -1. */
    long size();

    /** Does the work; a failure is returned as a failed {@link Outcome}, not thrown. */
    Outcome run(FileProgress progress);
  }

  /** The words of the summary: "Uploaded", "already uploaded; --force uploads them again". */
  record Words(String verb, String skipped) {}

  private final OutputOptions output;
  private final PrintStream out;
  private final PrintStream err;
  private final Words words;
  private final AtomicInteger finished = new AtomicInteger();
  private volatile Throwable fatal;

  Batch(OutputOptions output, PrintStream out, PrintStream err, Words words) {
    this.output = output;
    this.out = out;
    this.err = err;
    this.words = words;
  }

  /** Runs {@code tasks}, at most {@code parallel} at once; returns the exit code. */
  int run(String title, List<? extends Task> tasks, int parallel) {
    long total = 0;
    for (Task t : tasks) {
      total = t.size() < 0 || total < 0 ? -1 : total + t.size();
    }
    long startNanos = System.nanoTime();
    List<Outcome> outcomes = new ArrayList<>();
    Shares shares;
    try (ProgressView view = ProgressView.open(title, 0,
        total < 0 ? OptionalLong.empty() : OptionalLong.of(total), output, err)) {
      shares = new Shares(view, tasks.size(), total);
      view.files(0, tasks.size());
      ExecutorService pool = Executors.newFixedThreadPool(Math.max(1,
          Math.min(parallel, tasks.size())), r -> {
            Thread t = new Thread(r, "farm-transfer");
            t.setDaemon(true);
            return t;
          });
      List<Future<Outcome>> futures = new ArrayList<>();
      for (int i = 0; i < tasks.size(); i++) {
        Task task = tasks.get(i);
        FileProgress progress = shares.of(i, task.name());
        futures.add(pool.submit(() -> fatal != null ? null
            : report(task.run(progress), view, tasks.size())));
      }
      pool.shutdown();
      for (Future<Outcome> f : futures) {
        try {
          Outcome o = f.get();
          if (o != null) {
            outcomes.add(o);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          pool.shutdownNow();
          break;
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException(e.getCause()); // report() does not throw
        }
      }
    }
    return summarize(tasks.size(), outcomes, shares.moved(), System.nanoTime() - startNanos);
  }

  /** Prints a finished file's line; notes a failure that ends the batch. */
  private Outcome report(Outcome o, ProgressView view, int count) {
    view.files(finished.incrementAndGet(), count);
    if (o.status() == Outcome.Status.FAILED && stopsEverything(o.failure())) {
      synchronized (this) {
        if (fatal != null) {
          return o; // said once, at the end
        }
        fatal = o.failure();
      }
    }
    if (output.json) {
      view.println(out, JsonOutput.line(o.json()));
    } else if (o.line() != null) {
      view.println(out, o.line());
    }
    if (o.status() == Outcome.Status.FAILED && fatal != o.failure()) {
      view.println(err, "farm: " + o.name() + ": " + Failures.oneLine(o.failure()));
    }
    return o;
  }

  /** A key refused, a server that cannot be reached: every other file would fail alike. */
  private static boolean stopsEverything(Throwable e) {
    Throwable cause = FileUpload.cause(e);
    return Failures.exitCode(cause) == ExitCodes.AUTH
        || cause instanceof dev.farmapi.apiclient.ServerUnreachableException;
  }

  private int summarize(int count, List<Outcome> outcomes, long moved, long nanos) {
    List<Outcome> failed = outcomes.stream()
        .filter(o -> o.status() == Outcome.Status.FAILED).toList();
    long done = outcomes.stream().filter(o -> o.status() == Outcome.Status.DONE).count();
    long skipped = outcomes.stream().filter(o -> o.status() == Outcome.Status.SKIPPED).count();
    if (!output.quiet) {
      double seconds = nanos / 1e9;
      err.println(String.format(Locale.ROOT, "%s %d of %d files (%s in %.1f s, %s/s)", words.verb(),
          done, count, Sizes.format(moved), seconds, Sizes.format((long) (moved / Math.max(seconds,
              1e-3))))
          + (skipped == 0 ? "" : "; skipped " + skipped + ", " + words.skipped())
          + (failed.isEmpty() ? "" : "; " + failed.size() + " failed"));
    }
    if (fatal != null) {
      int left = count - outcomes.size() + (int) failed.stream().filter(o -> o.failure() == fatal
          || stopsEverything(o.failure())).count();
      err.println("farm: " + Failures.oneLine(FileUpload.cause(fatal)) + " (stopped; " + left
          + " of " + count + " files left for a rerun)");
      return Failures.exitCode(FileUpload.cause(fatal));
    }
    if (failed.isEmpty()) {
      return ExitCodes.OK;
    }
    List<String> names = failed.stream().map(Outcome::name).toList();
    err.println("farm: " + failed.size() + " of " + count + " files failed: "
        + String.join(", ", names.subList(0, Math.min(10, names.size())))
        + (names.size() > 10 ? " and " + (names.size() - 10) + " more" : "")
        + " (run the same command again to retry them)");
    int code = Failures.exitCode(FileUpload.cause(failed.get(0).failure()));
    boolean alike = failed.stream()
        .allMatch(o -> Failures.exitCode(FileUpload.cause(o.failure())) == code);
    return alike ? code : ExitCodes.FAILURE;
  }

  /** The files' shares of the one view: bytes in place per file, summed. */
  private final class Shares {
    private final ProgressView view;
    private final long[] at;
    private final long total;
    private long sum;
    private long baseline; // bytes in place before this run: skipped files, resumed offsets

    Shares(ProgressView view, int files, long total) {
      this.view = view;
      this.at = new long[files];
      this.total = total;
    }

    FileProgress of(int index, String name) {
      return new FileProgress() {
        @Override
        public void started(long offset) {
          synchronized (Shares.this) {
            baseline += offset - at[index];
          }
          view.alreadyDone(offset - at[index]);
          at(offset);
        }

        @Override
        public void at(long bytes) {
          long now;
          synchronized (Shares.this) {
            sum += bytes - at[index];
            at[index] = bytes;
            now = sum;
          }
          view.update(now, total < 0 ? OptionalLong.empty() : OptionalLong.of(total));
        }

        @Override
        public void say(String message) {
          if (!output.quiet) {
            view.println(err, name + ": " + message);
          }
        }
      };
    }

    synchronized long moved() {
      return sum - baseline;
    }
  }
}
