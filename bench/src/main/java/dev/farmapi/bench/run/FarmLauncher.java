package dev.farmapi.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the {@code farm} launcher gives a client command, so that our client is measured as users
 * get it: the JVM options of {@code farm-cli/src/main/launcher/client.jvmopts} and the
 * class-data-sharing archive {@code farm-cli/target/farm.jsa} when its stamp matches this java
 * and jar (the launcher's own test), with farm.jar first on the class path (a CDS archive also
 * serves a class path that extends the one it was made with).
 *
 * @param script the {@code farm} script, or null when the bench runs from class folders
 * @param farmJar the jar the launcher runs, or null
 * @param flags the JVM options the launcher adds for client commands
 */
public record FarmLauncher(Path script, Path farmJar, List<String> flags) {

  /** Without a launcher (the smoke test runs from class folders): no options. */
  public static final FarmLauncher NONE = new FarmLauncher(null, null, List.of());

  /** The launcher of the repository {@code farmJar} was built in. */
  public static FarmLauncher of(Path farmJar, String java) throws IOException,
      InterruptedException {
    Path jar = farmJar.toRealPath();
    Path root = jar.getParent().getParent().getParent();
    Path launcher = root.resolve("farm-cli/src/main/launcher");
    List<String> flags = new ArrayList<>();
    for (String line : Files.readAllLines(launcher.resolve("client.jvmopts"))) {
      if (!line.isBlank()) {
        flags.add(line.strip());
      }
    }
    Path archive = jar.resolveSibling("farm.jsa");
    Path stamp = jar.resolveSibling("farm.jsa.stamp");
    if (Files.exists(archive) && Files.exists(stamp)) {
      String javaBin = Path.of(java.contains("/") ? java : which(java)).toRealPath().toString();
      Process p = new ProcessBuilder("sh", launcher.resolve("jdk-stamp.sh").toString(), javaBin,
          jar.toString()).redirectErrorStream(true).start();
      String now = new String(p.getInputStream().readAllBytes()).strip();
      p.waitFor();
      if (now.equals(Files.readString(stamp).strip())) {
        flags.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off",
            "-Xlog:cds+dynamic=off"));
      }
    }
    return new FarmLauncher(root.resolve("farm"), jar, List.copyOf(flags));
  }

  /** The launcher's JVM options without the CDS archive (which only serves farm.jar's classes). */
  public List<String> jvmOptions() {
    return flags.stream().filter(f -> !f.startsWith("-XX:SharedArchiveFile=")
        && !f.startsWith("-Xlog:cds")).toList();
  }

  /** Whether the CDS archive is used. */
  public boolean sharesClasses() {
    return flags.stream().anyMatch(f -> f.startsWith("-XX:SharedArchiveFile="));
  }

  /** The class path of a client main run as the launcher runs farm.jar. */
  public String classpath(String clientClasspath) {
    return farmJar == null ? clientClasspath : farmJar + java.io.File.pathSeparator
        + clientClasspath;
  }

  private static String which(String command) throws IOException {
    for (String dir : System.getenv("PATH").split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, command);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new IOException(command + " is not on the PATH");
  }
}
