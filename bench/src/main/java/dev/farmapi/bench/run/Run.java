package dev.farmapi.bench.run;

import java.util.List;

/**
 * One measured client process: its {@link ProcStats}, the seconds its uploads took as the
 * client measured them (process wall for curl), the bytes and uploads it stored, their ids, and
 * why it does not count ({@code failure}), if it does not.
 */
public record Run(Who who, ProcStats proc, double transferSeconds, long bytes, int uploads,
    List<String> ids, String failure) {

  public boolean verified() {
    return failure == null;
  }

  public double mibPerSecond() {
    return bytes / 1048576.0 / transferSeconds;
  }

  /** CPU seconds (user+sys) per GiB uploaded. */
  public double cpuPerGiB() {
    return proc.cpu() / (bytes / 1073741824.0);
  }
}
