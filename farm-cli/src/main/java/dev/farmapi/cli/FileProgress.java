package dev.farmapi.cli;

/** Where the progress of one file's transfer goes: its own view, or its share of a batch's. */
interface FileProgress {
  /** The transfer begins (or resumes) with {@code offset} bytes already in place. */
  void started(long offset);

  /** Bytes in place so far, {@code offset} included. */
  void at(long bytes);

  /** A line for the user about this file ("Resuming at ..."), on stderr unless quiet. */
  void say(String message);

  /** A file's own view, opened when the transfer starts and closed by {@link #close}. */
  final class Single implements FileProgress, AutoCloseable {
    private final String task;
    private final java.util.OptionalLong total;
    private final OutputOptions output;
    private final java.io.PrintStream err;
    private volatile ProgressView view;

    Single(String task, java.util.OptionalLong total, OutputOptions output,
        java.io.PrintStream err) {
      this.task = task;
      this.total = total;
      this.output = output;
      this.err = err;
    }

    @Override
    public void started(long offset) {
      if (view == null) {
        view = ProgressView.open(task, offset, total, output, err);
      }
    }

    @Override
    public void at(long bytes) {
      ProgressView v = view;
      if (v != null) {
        v.update(bytes, total);
      }
    }

    @Override
    public void say(String message) {
      ProgressView v = view;
      if (output.quiet) {
        return;
      }
      if (v != null) {
        v.println(err, message); // above the bar, not torn into it
      } else {
        err.println(message);
      }
    }

    @Override
    public void close() {
      ProgressView v = view;
      view = null;
      if (v != null) {
        v.close();
      }
    }
  }
}
