package dev.farmapi.apiclient.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a test-source main class in a fresh JVM on this JVM's class path. */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * The child's stdout is piped for the test to read; its stderr goes to {@code stderr}.
   *
   * @param jvmOptions e.g. {@code -Xmx64m}
   */
  public static Process start(Class<?> main, List<String> jvmOptions, Path stderr, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    String engine = System.getProperty("farmapi.engine");
    if (engine != null) {
      command.add("-Dfarmapi.engine=" + engine); // the child runs over the engine under test
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectError(stderr.toFile())
        .start();
  }
}
