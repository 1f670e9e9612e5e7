package dev.farmapi.bench.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The download subjects, each a process of its own under {@code /usr/bin/time}: ours through the
 * {@code farm} launcher as shipped ({@code farm download}), our library in a process of its own,
 * the Python peer's {@code MediaIoBaseDownload} (8 MiB chunks) and curl. Every file a subject
 * writes is then checked against its source by size and MD5, and deleted: a run whose files do
 * not all match does not count. The seconds of a run are its process's wall time.
 */
public final class Downloads {
  private static final long TIMEOUT = 1800;
  private static final String OURS = "dev.farmapi.bench.client.OursClient";

  /** How a subject downloads. */
  public enum Kind { FARM, LIBRARY, PYTHON, CURL }

  private final Launch launch;
  private final Timed timed;
  private final Path scratch;

  public Downloads(Launch launch, Path scratch) {
    this.launch = launch;
    this.timed = new Timed(scratch);
    this.scratch = scratch;
  }

  /**
   * Whether this build's {@code farm download} takes several ids ({@code ID...}) and a folder.
   * Without it, the launcher cannot download many files in one process.
   */
  public boolean farmTakesManyIds() throws IOException, InterruptedException {
    List<String> help = new ArrayList<>(launch.farmCommand());
    help.addAll(List.of("download", "--help"));
    ProcStats p = timed.run(help, null, 120);
    return p.exit() == 0 && p.stdout().contains("ID...");
  }

  /**
   * One animal's picture into {@code out}. {@code env} sets variables of the subject's
   * environment ({@code FARM_JAVA_OPTS}; {@code ""} removes one).
   */
  public Run one(Kind kind, Map<String, String> env, ServerProcess s, String id, Source src,
      Path out) throws IOException, InterruptedException {
    String url = s.root() + "farm/v1/animals/" + id + "?alt=media";
    List<String> cmd = switch (kind) {
      case FARM -> farm(s, out, List.of(id));
      case PYTHON -> python(s, List.of("download", id, out.toString()));
      case CURL -> List.of("curl", "-sS", "--fail", "-o", out.toString(),
          "-H", "Authorization: Bearer " + s.key(), url);
      case LIBRARY -> throw new IllegalArgumentException("the library has no one-file mode here");
    };
    ProcStats p = timed.run(cmd, null, TIMEOUT, env);
    return checked(kind, p, List.of(src), List.of(out));
  }

  /** Each of {@code ids} into {@code dir}/ID (curl: one invocation, one connection). */
  public Run many(Kind kind, Map<String, String> env, ServerProcess s, List<String> ids,
      List<Source> sources, Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path list = Files.write(scratch.resolve("download-ids.txt"), ids);
    List<String> cmd = switch (kind) {
      case FARM -> farm(s, dir, ids);
      case LIBRARY -> launch.oursMain(List.of(), OURS, List.of("download-small",
          s.root().toString(), s.key(), list.toString(), dir.toString()));
      case PYTHON -> python(s, List.of("download-small", list.toString(), dir.toString()));
      case CURL -> List.of("curl", "-K", curlConfig(s, ids, dir).toString());
    };
    ProcStats p = timed.run(cmd, null, TIMEOUT, env);
    List<Path> outs = new ArrayList<>();
    for (String id : ids) {
      outs.add(kind == Kind.FARM ? farmFile(dir, id) : dir.resolve(id));
    }
    return checked(kind, p, sources, outs);
  }

  /** {@code farm download} names a file by the id and the type's extension (.bin here). */
  private static Path farmFile(Path dir, String id) {
    Path bin = dir.resolve(id + ".bin");
    return Files.exists(bin) ? bin : dir.resolve(id);
  }

  /** {@code farm download ... -o OUT -- ID...}: an id may start with '-'. */
  private List<String> farm(ServerProcess s, Path out, List<String> ids) {
    List<String> cmd = new ArrayList<>(launch.farmCommand());
    cmd.addAll(List.of("download", "--server", s.root().toString(), "--key", s.key(), "-o",
        out.toString(), "--"));
    cmd.addAll(ids);
    return cmd;
  }

  private List<String> python(ServerProcess s, List<String> args) {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3",
        launch.pythonScript().toString(), args.get(0), s.root().toString(), s.key()));
    cmd.addAll(args.subList(1, args.size()));
    return cmd;
  }

  private Path curlConfig(ServerProcess s, List<String> ids, Path dir) throws IOException {
    StringBuilder config = new StringBuilder("silent\nshow-error\n");
    for (int i = 0; i < ids.size(); i++) {
      if (i > 0) {
        config.append("next\n");
      }
      config.append("fail\n")
          .append("url = \"").append(s.root()).append("farm/v1/animals/").append(ids.get(i))
          .append("?alt=media\"\n")
          .append("header = \"Authorization: Bearer ").append(s.key()).append("\"\n")
          .append("output = \"").append(dir.resolve(ids.get(i))).append("\"\n");
    }
    return Files.writeString(scratch.resolve("curl-downloads.cfg"), config);
  }

  /** The run, failed unless every file matches its source; the files are deleted either way. */
  private static Run checked(Kind kind, ProcStats p, List<Source> sources, List<Path> files)
      throws IOException {
    Who who = switch (kind) {
      case FARM, LIBRARY -> Who.OURS;
      case PYTHON -> Who.PYTHON;
      case CURL -> Who.CURL;
    };
    long bytes = sources.stream().mapToLong(Source::size).sum();
    String failure = p.exit() != 0 ? "exit " + p.exit() + ": " + tail(p) : null;
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      if (failure == null) {
        failure = mismatch(f, sources.get(i));
      }
      Files.deleteIfExists(f);
    }
    return new Run(who, p, p.wall(), bytes, failure == null ? files.size() : 0, List.of(),
        failure);
  }

  private static String mismatch(Path file, Source src) throws IOException {
    if (!Files.isRegularFile(file)) {
      return file + " was not written";
    }
    if (Files.size(file) != src.size()) {
      return file + " has " + Files.size(file) + " bytes, the source " + src.size();
    }
    MessageDigest md5 = Sources.md5();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 20];
      for (int n; (n = in.read(buffer)) > 0; ) {
        md5.update(buffer, 0, n);
      }
    }
    return Arrays.equals(md5.digest(), src.md5()) ? null
        : file + " does not have the source's MD5 " + src.md5Hex();
  }

  private static String tail(ProcStats p) {
    String all = (p.stderr() + "\n" + p.stdout()).strip();
    return all.length() > 300 ? all.substring(all.length() - 300) : all;
  }
}
