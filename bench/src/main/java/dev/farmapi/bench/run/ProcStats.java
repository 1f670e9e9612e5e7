package dev.farmapi.bench.run;

/**
 * What {@code /usr/bin/time} said about one finished process: wall seconds, user and system CPU
 * seconds, peak resident set in KiB, exit code; and what it printed on stdout.
 */
public record ProcStats(double wall, double user, double sys, long maxRssKiB, int exit,
    String stdout, String stderr) {

  public double cpu() {
    return user + sys;
  }

  public double maxRssMiB() {
    return maxRssKiB / 1024.0;
  }

  /** Two processes run one after the other, as one (e.g. curl's initiation and its PUT). */
  public ProcStats then(ProcStats next) {
    return new ProcStats(wall + next.wall, user + next.user, sys + next.sys,
        Math.max(maxRssKiB, next.maxRssKiB), exit != 0 ? exit : next.exit, next.stdout,
        stderr + next.stderr);
  }
}
