package dev.farmapi.bench.run;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU counters of the processes that serve a benchmark, by part (a server, its nodes, the
 * stores, the balancer: each part a list of process trees), and of the whole machine, read
 * before a measured stretch and again after it: {@link #since} gives what the stretch used.
 *
 * @param cpu CPU seconds of each part's process trees
 * @param harness CPU seconds of this process (the harness): neither server nor client
 * @param machineBusy CPU seconds the machine was busy, all processes, all cores
 */
public record Meter(Map<String, Double> cpu, double harness, double machineBusy) {

  /** The counters now. */
  public static Meter read(Map<String, List<Long>> parts) throws IOException {
    Map<String, Double> cpu = new LinkedHashMap<>();
    for (Map.Entry<String, List<Long>> part : parts.entrySet()) {
      double seconds = 0;
      for (long pid : part.getValue()) {
        seconds += ProcFs.treeCpuSeconds(pid);
      }
      cpu.put(part.getKey(), seconds);
    }
    return new Meter(cpu, ProcFs.cpuSeconds(ProcessHandle.current().pid()),
        ProcFs.machineBusySeconds());
  }

  /** What was used between {@code before} and this reading. */
  public Meter since(Meter before) {
    Map<String, Double> dc = new LinkedHashMap<>();
    cpu.forEach((part, v) -> dc.put(part, v - before.cpu.getOrDefault(part, 0.0)));
    return new Meter(dc, harness - before.harness, machineBusy - before.machineBusy);
  }

  /** CPU seconds of all parts together. */
  public double totalCpu() {
    return cpu.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /**
   * CPU seconds of everything else the machine ran meanwhile, given the client's: other
   * sessions' builds and tests on a shared machine, the kernel's own threads.
   */
  public double otherCpu(double clientCpu) {
    // The client's CPU is its whole process's, start-up included, which began before this
    // meter's window: on a quiet machine the difference can come out a little below zero.
    return Math.max(0, machineBusy - totalCpu() - harness - clientCpu);
  }

  /** The largest peak RSS (VmHWM, since each started) among {@code pids}, in MiB. */
  public static double peakRssMiB(List<Long> pids) throws IOException {
    double max = 0;
    for (long pid : pids) {
      max = Math.max(max, ProcFs.peakRssMiB(pid));
    }
    return max;
  }
}
