package dev.farmapi.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.PrintStream;

/**
 * stdout as a destination for bytes. A {@link PrintStream} swallows write errors (a pipe whose
 * reader went away); this one surfaces them, so that a download stops instead of going on into
 * nothing. Closing it only flushes: stdout stays open.
 */
final class StdoutStream extends FilterOutputStream {
  private final PrintStream stdout;

  StdoutStream(PrintStream stdout) {
    super(stdout);
    this.stdout = stdout;
  }

  @Override
  public void write(int b) throws IOException {
    stdout.write(b);
    check();
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    stdout.write(b, off, len);
    check();
  }

  @Override
  public void close() throws IOException {
    flush();
  }

  private void check() throws IOException {
    if (stdout.checkError()) { // flushes too
      throw new IOException("cannot write to stdout (was the pipe closed?)");
    }
  }
}
