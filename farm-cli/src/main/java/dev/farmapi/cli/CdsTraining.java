package dev.farmapi.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The client commands' class-data-sharing training, run once by {@code mvn package} under
 * {@code -XX:ArchiveClassesAtExit} ({@code src/main/launcher/cds-archive.sh}): it starts
 * {@code farm serve} in a process of its own (so that server classes stay out of the archive)
 * and runs upload, list, get and download in this one, as a user would. The {@code farm}
 * launcher then starts client commands from the archive: about a quarter less CPU to start.
 *
 * <p>Arguments: the path of farm.jar (to start the server from).
 */
final class CdsTraining {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+/)");
  private static final Pattern KEY = Pattern.compile("Admin API key .*: (\\S+)");

  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("farm-cds-");
    Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-jar", args[0], "serve", "--data", dir.resolve("data").toString(),
        "--port", "0").redirectErrorStream(true).start();
    PrintStream out = System.out;
    try {
      String[] root = awaitStart(server);
      Path picture = dir.resolve("pig.bin");
      byte[] bytes = new byte[600 * 1024];
      new Random(1).nextBytes(bytes);
      Files.write(picture, bytes);
      String cache = dir.resolve("cache").toString();
      List<String> connection = List.of("--server", root[0], "--key", root[1]);
      Main.chooseLogging(new String[] {"upload"});
      System.setOut(new PrintStream(OutputStream.nullOutputStream()));
      run(connection, "upload", picture.toString(), "--chunk-size", "256K", "--cache-dir", cache);
      // The cache of the run (finished uploads are remembered there too), never the user's.
      run(connection, "upload", picture.toString(), "--multipart", "--json", "--force",
          "--cache-dir", cache);
      run(connection, "animals", "list", "--json");
      run(connection, "animals", "list");
      run(connection, "download", firstId(dir, connection), "-o", dir.resolve("out").toString());
    } finally {
      System.setOut(out);
      server.destroy();
      server.waitFor(20, TimeUnit.SECONDS);
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(List<String> connection, String... command) {
    String[] args = Stream.concat(Stream.of(command), connection.stream()).toArray(String[]::new);
    int exit = Main.run(args);
    if (exit != 0) {
      throw new IllegalStateException("training step failed (exit " + exit + "): "
          + String.join(" ", command));
    }
  }

  /** An animal's id, from {@code animals list --json}. */
  private static String firstId(Path dir, List<String> connection) throws IOException {
    Path listing = dir.resolve("list.json");
    PrintStream quiet = System.out;
    try (PrintStream to = new PrintStream(Files.newOutputStream(listing), true,
        StandardCharsets.UTF_8)) {
      System.setOut(to);
      run(connection, "animals", "list", "--json");
    } finally {
      System.setOut(quiet);
    }
    Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(Files.readString(listing));
    if (!id.find()) {
      throw new IllegalStateException("no animal listed");
    }
    return id.group(1);
  }

  /** The server's root URL and admin key, from its first lines. */
  private static String[] awaitStart(Process server) throws IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(),
        StandardCharsets.UTF_8));
    String url = null;
    for (String line; (line = lines.readLine()) != null; ) {
      Matcher m = LISTENING.matcher(line);
      if (url == null && m.find()) {
        url = m.group(1);
      }
      Matcher k = KEY.matcher(line);
      if (url != null && k.find()) {
        Thread drain = new Thread(() -> lines.lines().forEach(l -> { }));
        drain.setDaemon(true);
        drain.start();
        return new String[] {url, k.group(1)};
      }
    }
    throw new IOException("farm serve stopped before it listened");
  }
}
