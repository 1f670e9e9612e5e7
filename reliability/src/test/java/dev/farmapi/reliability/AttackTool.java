package dev.farmapi.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One attack by a real tool in a child process, bounded in time: Debian's {@code slowhttptest}
 * (slow headers, slow body, slow read, range) or {@code wrk} (a flood). The tool is told its
 * length, and killed if it runs past it; nothing of it is left running.
 */
final class AttackTool implements AutoCloseable {
  /** The attacks, by name as they appear in the report. */
  enum Kind { SLOWLORIS, SLOW_BODY, SLOW_READ, RANGE, FLOOD }

  private final Kind kind;
  private final Process process;
  private final Path output;
  private final int seconds;

  private AttackTool(Kind kind, Process process, Path output, int seconds) {
    this.kind = kind;
    this.process = process;
    this.output = output;
    this.seconds = seconds;
  }

  /** Whether the tools are installed (bash .ci/run installs them). */
  static boolean available() {
    return Files.isExecutable(Path.of("/usr/bin/slowhttptest"))
        && Files.isExecutable(Path.of("/usr/bin/wrk"));
  }

  /**
   * Starts {@code kind} against {@code uploadUrl} (slow body), {@code apiUrl} (slow headers,
   * flood) or {@code downloadUrl} (slow read, range), with {@code connections} connections opened
   * at {@code rate} per second, for {@code seconds}.
   */
  static AttackTool start(Kind kind, String apiUrl, String uploadUrl, String downloadUrl,
      int connections, int rate, int seconds, Path output) throws IOException {
    List<String> command = new ArrayList<>();
    String c = Integer.toString(connections);
    String r = Integer.toString(rate);
    String l = Integer.toString(seconds);
    switch (kind) {
      // Headers: one more header line every 10 s per connection, never finishing.
      case SLOWLORIS -> command.addAll(List.of("slowhttptest", "-H", "-c", c, "-r", r,
          "-i", "10", "-x", "24", "-p", "5", "-l", l, "-u", apiUrl));
      // Bodies: Content-Length 1 MiB, then a few bytes every 10 s per connection.
      case SLOW_BODY -> command.addAll(List.of("slowhttptest", "-B", "-c", c, "-r", r,
          "-i", "10", "-x", "10", "-s", "1048576", "-t", "POST", "-f",
          "application/octet-stream", "-p", "5", "-l", l, "-u", uploadUrl));
      // Reads: a download through a 512-1024 byte window, 32 bytes a second per connection.
      case SLOW_READ -> command.addAll(List.of("slowhttptest", "-X", "-c", c, "-r", r,
          "-k", "1", "-n", "1", "-w", "512", "-y", "1024", "-z", "32", "-p", "5", "-l", l,
          "-u", downloadUrl));
      // Apache killer: Range: bytes=0-,5-0,5-1,...,5-2000 on the download.
      case RANGE -> command.addAll(List.of("slowhttptest", "-R", "-c", c, "-r", r,
          "-a", "5", "-b", "2000", "-p", "5", "-l", l, "-u", downloadUrl));
      // A flood of API reads, as many as two threads can send on 200 connections.
      case FLOOD -> command.addAll(List.of("wrk", "-t", "2", "-c",
          Integer.toString(Math.min(connections, 200)), "-d", l + "s", "--timeout", "10s",
          apiUrl));
      default -> throw new IllegalArgumentException(kind.name());
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(output.toFile()).start();
    process.getOutputStream().close();
    return new AttackTool(kind, process, output, seconds);
  }

  Kind kind() {
    return kind;
  }

  /** Waits for the tool to end on its own (its length, and a grace), else kills it. */
  void awaitEnd() throws InterruptedException {
    if (!process.waitFor(seconds + 10L, TimeUnit.SECONDS)) {
      close();
    }
  }

  /** What the tool printed (its summary). */
  String output() throws IOException {
    return Files.readString(output);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
