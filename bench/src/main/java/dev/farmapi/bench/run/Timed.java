package dev.farmapi.bench.run;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command as its own process under {@code /usr/bin/time}, which reports the child's wall
 * time, CPU (user+sys, children included) and peak RSS (VmHWM) when it exits: the measure of a
 * client that the brief asks for, without sampling.
 */
public final class Timed {
  private static final String TIME = "/usr/bin/time";
  private final Path scratch;

  public Timed(Path scratch) {
    this.scratch = scratch;
  }

  /** Runs {@code command}, stdin from {@code stdin} (or nothing), and waits at most timeout. */
  public ProcStats run(List<String> command, Path stdin, long timeoutSeconds)
      throws IOException, InterruptedException {
    return run(command, stdin, timeoutSeconds, Map.of());
  }

  /** The same, with variables of the environment set ({@code ""}: removed). */
  public ProcStats run(List<String> command, Path stdin, long timeoutSeconds,
      Map<String, String> env) throws IOException, InterruptedException {
    Files.createDirectories(scratch);
    Path stats = Files.createTempFile(scratch, "time", ".txt");
    Path out = Files.createTempFile(scratch, "out", ".txt");
    Path err = Files.createTempFile(scratch, "err", ".txt");
    try {
      List<String> full = new ArrayList<>(List.of(TIME, "-o", stats.toString(), "-f",
          "%e %U %S %M"));
      full.addAll(command);
      ProcessBuilder pb = new ProcessBuilder(full)
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
              : ProcessBuilder.Redirect.from(stdin.toFile()));
      env.forEach((name, value) -> {
        if (value.isEmpty()) {
          pb.environment().remove(name);
        } else {
          pb.environment().put(name, value);
        }
      });
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor();
        throw new IOException("timed out after " + timeoutSeconds + " s: " + command);
      }
      String[] f = lastLine(Files.readString(stats)).trim().split("\\s+");
      String stderr = Files.readString(err);
      if (f.length < 4) {
        throw new IOException("no timing for " + command + ": " + stderr);
      }
      return new ProcStats(Double.parseDouble(f[0]), Double.parseDouble(f[1]),
          Double.parseDouble(f[2]), Long.parseLong(f[3]), p.exitValue(), Files.readString(out),
          stderr);
    } finally {
      Files.deleteIfExists(stats);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  // On a non-zero exit, time writes "Command exited with non-zero status N" first.
  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }
}
