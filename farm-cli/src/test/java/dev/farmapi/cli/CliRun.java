package dev.farmapi.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The farm command run in this JVM as a user runs it ({@link Main#run}), with its exit code and
 * what it printed: stdout as bytes (it may carry a picture), stderr as text. The streams are
 * not a terminal, so progress comes as plain lines.
 */
record CliRun(int exit, byte[] stdout, String err) {

  static CliRun of(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = Main.run(args);
      return new CliRun(exit, o.toByteArray(), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  static CliRun of(List<String> args, String... more) {
    String[] all = Arrays.copyOf(args.toArray(String[]::new), args.size() + more.length);
    System.arraycopy(more, 0, all, args.size(), more.length);
    return of(all);
  }

  String out() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  List<String> outLines() {
    return out().lines().toList();
  }

  /** stderr without the log lines the in-process server and the library may add. */
  List<String> errLines() {
    return err.lines().filter(l -> !l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")).toList();
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n--- stdout\n" + out() + "--- stderr\n" + err;
  }
}
