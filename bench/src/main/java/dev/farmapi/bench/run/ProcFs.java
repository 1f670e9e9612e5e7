package dev.farmapi.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code /proc} says about a running process (or a process and its children, for servers
 * that fork: PostgreSQL, nginx) and about the whole machine. CPU times are counters: read them
 * before and after a measured stretch and take the difference. (Not disk writes: on this kernel
 * {@code write_bytes} counts a whole large folio, up to 2 MiB, each time a small synced write
 * dirties it again, so PostgreSQL's commits would count hundreds of times what they write.)
 */
public final class ProcFs {
  private static final double TICKS = 100.0; // getconf CLK_TCK on Linux x86-64

  private ProcFs() {}

  /** User+system CPU seconds {@code pid} has used so far (its own threads only). */
  public static double cpuSeconds(long pid) throws IOException {
    long[] f = stat(pid);
    return (f[0] + f[1]) / TICKS;
  }

  /**
   * CPU seconds of {@code pid} and its whole tree: every live descendant's own CPU plus what the
   * kernel added to each of them for the children it reaped (cutime, cstime), so that a
   * PostgreSQL backend that ends in the middle of a run still counts, and nothing twice.
   */
  public static double treeCpuSeconds(long pid) throws IOException {
    double sum = 0;
    for (long p : tree(pid)) {
      try {
        long[] f = stat(p);
        sum += (f[0] + f[1] + f[2] + f[3]) / TICKS;
      } catch (NoSuchFileException gone) {
        // ended between the listing and the read: its parent's cutime holds it from now on
      }
    }
    return sum;
  }

  /** Peak resident set of {@code pid} since it started, in MiB (VmHWM). */
  public static double peakRssMiB(long pid) throws IOException {
    String field = "VmHWM:";
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) / 1024.0;
      }
    }
    throw new IOException("no " + field + " for " + pid);
  }

  /**
   * CPU seconds the whole machine has been busy so far, all cores (user, nice, system, irq,
   * softirq, steal): against what the measured processes used, what else ran meanwhile.
   */
  public static double machineBusySeconds() throws IOException {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    // cpu user nice system idle iowait irq softirq steal ...
    long busy = 0;
    for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
      busy += Long.parseLong(f[i]);
    }
    return busy / TICKS;
  }

  private static List<Long> tree(long pid) throws IOException {
    ProcessHandle root = ProcessHandle.of(pid)
        .orElseThrow(() -> new NoSuchFileException("/proc/" + pid + " (not running)"));
    List<Long> all = new ArrayList<>(List.of(pid));
    root.descendants().forEach(d -> all.add(d.pid()));
    return all;
  }

  // utime, stime, cutime, cstime
  private static long[] stat(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // After "pid (comm) ": state is field 3, utime 14 ... cstime 17 (1-based): index 11..14.
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
        Long.parseLong(f[14])};
  }
}
