package dev.farmapi.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The facts a reader needs to judge the numbers: machine, disk, kernel, JDK, peer versions. */
public final class MachineFacts {
  private MachineFacts() {}

  public static void collect(Results r, Path disk, Path tmpfs) {
    r.fact("date (UTC)", java.time.Instant.now().toString());
    r.fact("CPU", sh("lscpu | sed -n 's/^Model name: *//p' | head -1"));
    r.fact("cores (nproc)", sh("nproc"));
    r.fact("RAM", sh("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' /proc/meminfo"));
    r.fact("disk (server data, dd)", disk + ": " + sh("df -hT " + disk
        + " | tail -1 | awk '{print $1\", \"$2\", \"$3\" total\"}'") + "; "
        + sh("lsblk -dno NAME,ROTA 2>/dev/null | awk '{printf \"%s rotational=%s; \", $1, $2}'"));
    r.fact("tmpfs", tmpfs + ": " + sh("df -hT " + tmpfs
        + " | tail -1 | awk '{print $2\", \"$3\" total\"}'"));
    r.fact("kernel", sh("uname -sr"));
    r.fact("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
        + " (" + System.getProperty("java.vendor") + ")");
    r.fact("Java peer", "google-api-client " + googleClientVersion()
        + " (MediaHttpUploader over NetHttpTransport)");
    r.fact("Python peer", sh("/usr/bin/python3 -c 'import sys, googleapiclient, httplib2; "
        + "print(\"google-api-python-client\", googleapiclient.__version__, \"httplib2\", "
        + "httplib2.__version__, \"Python\", sys.version.split()[0])'"));
    r.fact("curl", sh("curl --version | head -1 | cut -d' ' -f1-3"));
    r.fact("farmapi commit", sh("git rev-parse --short HEAD 2>/dev/null")
        + (sh("git status --porcelain 2>/dev/null | grep -v '^??' | head -1").isEmpty()
            ? "" : " (with uncommitted changes)"));
    loadAverage(r, "load average at start");
  }

  public static void loadAverage(Results r, String name) {
    r.fact(name, sh("cut -d' ' -f1-3 /proc/loadavg"));
  }

  private static String googleClientVersion() {
    try {
      return (String) Class.forName("com.google.api.client.googleapis.GoogleUtils")
          .getField("VERSION").get(null);
    } catch (ReflectiveOperationException e) {
      return "?";
    }
  }

  static String sh(String command) {
    try {
      Process p = new ProcessBuilder(List.of("sh", "-c", command)).redirectErrorStream(true)
          .start();
      byte[] out = p.getInputStream().readAllBytes();
      p.waitFor(30, TimeUnit.SECONDS);
      return new String(out, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

}
