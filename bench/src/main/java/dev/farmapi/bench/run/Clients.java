package dev.farmapi.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Runs one client process of each kind against a server and checks what the server stored
 * against the sources (MD5 and size from the server's answer): a run whose uploads do not all
 * match carries a failure and does not count.
 */
public final class Clients {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT = 1800;
  private static final String OURS = "dev.farmapi.bench.client.OursClient";
  private static final String JAVA = "dev.farmapi.bench.client.JavaPeerClient";
  private static final String NETTY = "dev.farmapi.bench.client.NettyClient";
  private final Launch launch;
  private final Timed timed;
  private final CurlClient curl;

  public Clients(Launch launch, Path scratch) {
    this.launch = launch;
    this.timed = new Timed(scratch);
    this.curl = new CurlClient(timed, scratch);
  }

  /** A resumable upload of a file in chunks of {@code chunk} (curl: one PUT of it all). */
  public Run file(Who who, Endpoint s, Source src, long chunk, List<String> jvmFlags)
      throws IOException, InterruptedException {
    src.warm();
    List<String> args = List.of("file", s.root().toString(), s.key(), src.path().toString(),
        Long.toString(chunk));
    return switch (who) {
      case OURS -> check(who, timed.run(launch.oursMain(jvmFlags, OURS, args), null, TIMEOUT),
          List.of(src));
      case JAVA -> check(who, timed.run(launch.javaMain(jvmFlags, JAVA, args), null, TIMEOUT),
          List.of(src));
      case PYTHON -> check(who, timed.run(python(args), null, TIMEOUT), List.of(src));
      case CURL -> {
        ProcStats p = curl.resumablePut(s, src);
        yield check(who, withSeconds(p), List.of(src));
      }
    };
  }

  /**
   * One resumable upload of the file by {@code ./farm upload}, the launcher script itself: what
   * a user types. Checked against the animal the command prints with {@code --json}.
   */
  public Run launcherUpload(ServerProcess s, Source src, Path cacheDir)
      throws IOException, InterruptedException {
    src.warm();
    List<String> args = List.of("upload", src.path().toString(), "--server",
        s.root().toString(), "--key", s.key(), "--json", "--quiet", "--cache-dir",
        cacheDir.toString());
    Path farm = launch.farm().script();
    List<String> command = new ArrayList<>();
    if (farm != null) {
      command.add(farm.toString());
      command.addAll(args);
    } else { // class folders (the smoke test): the launcher's main, as the launcher would
      command.addAll(launch.oursMain(List.of(), "dev.farmapi.cli.Main", args));
    }
    ProcStats p = timed.run(command, null, TIMEOUT);
    return check(Who.OURS, new ProcStats(p.wall(), p.user(), p.sys(), p.maxRssKiB(), p.exit(),
        "{\"seconds\":" + p.wall() + ",\"uploads\":[" + compact(p.stdout()) + "]}",
        p.stderr()), List.of(src));
  }

  /** The command's JSON output (pretty-printed) on one line; {} when there is none. */
  private static String compact(String stdout) {
    try {
      return stdout.isBlank() ? "{}" : JSON.readTree(stdout).toString();
    } catch (IOException e) {
      return "{}";
    }
  }

  /** The Netty comparison client's resumable upload, with the launcher's JVM options. */
  public Run netty(ServerProcess s, Source src, long chunk)
      throws IOException, InterruptedException {
    src.warm();
    List<String> args = List.of("file", s.root().toString(), s.key(), src.path().toString(),
        Long.toString(chunk));
    return check(Who.OURS, timed.run(launch.javaMain(launch.farm().jvmOptions(), NETTY, args),
        null, TIMEOUT), List.of(src));
  }

  /** A resumable upload of the file through stdin, as a stream of unknown size (Java only). */
  public Run stream(Who who, ServerProcess s, Source src, long chunk, List<String> jvmFlags)
      throws IOException, InterruptedException {
    src.warm();
    List<String> args = List.of("stream", s.root().toString(), s.key(), Long.toString(chunk));
    List<String> command = switch (who) {
      case OURS -> launch.oursMain(jvmFlags, OURS, args);
      case JAVA -> launch.javaMain(jvmFlags, JAVA, args);
      default -> throw new IllegalArgumentException(who + " has no stream mode here");
    };
    return check(who, timed.run(command, src.path(), TIMEOUT), List.of(src));
  }

  /** Multipart uploads of each file, sequentially, over one kept connection. */
  public Run small(Who who, ServerProcess s, List<Source> files, Path listFile)
      throws IOException, InterruptedException {
    List<String> args = List.of("small", s.root().toString(), s.key(), listFile.toString());
    ProcStats p = switch (who) {
      case OURS -> timed.run(launch.oursMain(List.of(), OURS, args), null, TIMEOUT);
      case JAVA -> timed.run(launch.javaMain(List.of(), JAVA, args), null, TIMEOUT);
      case PYTHON -> timed.run(python(args), null, TIMEOUT);
      case CURL -> withSeconds(curl.multipartSequence(s, files));
    };
    return check(who, p, files);
  }

  /** {@code n} concurrent resumable uploads of {@code src} from one process of ours. */
  public Run load(Endpoint s, Source src, long chunk, int n)
      throws IOException, InterruptedException {
    List<String> args = List.of("load", s.root().toString(), s.key(), src.path().toString(),
        Long.toString(chunk), Integer.toString(n));
    return check(Who.OURS, timed.run(launch.oursMain(List.of(), OURS, args), null, TIMEOUT),
        Collections.nCopies(n, src));
  }

  /**
   * The fixed cost of a client process (start-up and one small GET), to subtract from a run's
   * CPU; a failure here is the harness's.
   */
  public ProcStats startup(Who who, ServerProcess s, List<String> jvmFlags)
      throws IOException, InterruptedException {
    List<String> args = List.of("startup", s.root().toString(), s.key());
    ProcStats p = switch (who) {
      case OURS -> timed.run(launch.oursMain(jvmFlags, OURS, args), null, TIMEOUT);
      case JAVA -> timed.run(launch.javaMain(jvmFlags, JAVA, args), null, TIMEOUT);
      case PYTHON -> timed.run(python(List.of("startup", s.root().toString(), s.key(), "-")),
          null, TIMEOUT);
      case CURL -> timed.run(List.of("curl", "-sS", "--fail-with-body", "-o", "/dev/null",
          "-H", "Authorization: Bearer " + s.key(), s.root() + "farm/v1/animals?maxResults=1"),
          null, TIMEOUT);
    };
    if (p.exit() != 0) {
      throw new IOException(who.label() + " start-up run failed: " + tail(p));
    }
    return p;
  }

  /** Runs a plain command (dd) under time. */
  public ProcStats command(List<String> cmd) throws IOException, InterruptedException {
    return timed.run(cmd, null, TIMEOUT);
  }

  private List<String> python(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3",
        launch.pythonScript().toString()));
    cmd.addAll(args);
    return cmd;
  }

  // curl prints the server's answers; its seconds are its process wall time.
  private static ProcStats withSeconds(ProcStats p) throws IOException {
    return new ProcStats(p.wall(), p.user(), p.sys(), p.maxRssKiB(), p.exit(),
        "{\"seconds\":" + p.wall() + ",\"uploads\":" + p.stdout() + "}", p.stderr());
  }

  private static Run check(Who who, ProcStats p, List<Source> expected) {
    long bytes = expected.stream().mapToLong(Source::size).sum();
    List<String> ids = new ArrayList<>();
    if (p.exit() != 0) {
      return new Run(who, p, Double.NaN, bytes, 0, ids, "exit " + p.exit() + ": " + tail(p));
    }
    JsonNode out;
    try {
      out = JSON.readTree(lastJsonLine(p.stdout()));
    } catch (IOException | RuntimeException e) {
      return new Run(who, p, Double.NaN, bytes, 0, ids, "no result line: " + tail(p));
    }
    JsonNode uploads = out.path("uploads");
    for (JsonNode u : uploads) {
      ids.add(u.path("id").asText());
    }
    String failure = null;
    if (uploads.size() != expected.size()) {
      failure = uploads.size() + " uploads stored, " + expected.size() + " expected";
    } else {
      for (int i = 0; i < expected.size() && failure == null; i++) {
        Source src = expected.get(i);
        JsonNode u = uploads.get(i);
        if (!src.md5Base64().equals(u.path("md5Hash").asText())
            || u.path("mediaSize").asLong(-1) != src.size()) {
          failure = "upload " + i + " stored md5 " + u.path("md5Hash").asText() + " size "
              + u.path("mediaSize").asText() + ", source md5 " + src.md5Base64() + " size "
              + src.size();
        }
      }
    }
    return new Run(who, p, out.path("seconds").asDouble(Double.NaN), bytes, uploads.size(), ids,
        failure);
  }

  private static String lastJsonLine(String stdout) throws IOException {
    String[] lines = stdout.split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (lines[i].startsWith("{")) {
        return lines[i];
      }
    }
    throw new IOException("no JSON line");
  }

  /** The first line that names an exception or error, else the end of the output. */
  private static String tail(ProcStats p) {
    String all = (p.stderr() + "\n" + p.stdout()).strip();
    for (String line : all.split("\n")) {
      if (line.contains("Exception") || line.contains("Error")) {
        return line.strip().length() > 300 ? line.strip().substring(0, 300) : line.strip();
      }
    }
    return all.length() > 300 ? all.substring(all.length() - 300) : all;
  }
}
