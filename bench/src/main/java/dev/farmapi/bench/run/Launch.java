package dev.farmapi.bench.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start things: the server command before {@code serve ...} (e.g. {@code java -jar
 * farm.jar}), the JVM and class path for the Java client mains, the Python peer's script, and
 * the {@code farm} command as users run it (the launcher script) for the CLI's own runs.
 */
public record Launch(String java, List<String> serverPrefix, String clientClasspath,
    Path pythonScript, List<String> farmCommand) {

  /** {@code java FLAGS -cp CP MAIN ARGS}. */
  public List<String> javaMain(List<String> jvmFlags, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(jvmFlags);
    cmd.addAll(List.of("-cp", clientClasspath, mainClass));
    cmd.addAll(args);
    return cmd;
  }
}
