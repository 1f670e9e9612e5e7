package dev.farmapi.bench.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start things: the server command before {@code serve ...} (e.g. {@code java -jar
 * farm.jar}), the JVM and class path for the Java client mains, the Python peer's script, and
 * what the {@code farm} launcher adds to our client.
 */
public record Launch(String java, List<String> serverPrefix, String clientClasspath,
    Path pythonScript, FarmLauncher farm) {

  /**
   * {@code java LAUNCHER-FLAGS FLAGS -cp farm.jar:CP MAIN ARGS}: our client as the launcher
   * starts a client command, {@code flags} coming last as {@code FARM_JAVA_OPTS} would.
   */
  public List<String> oursMain(List<String> jvmFlags, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(farm.flags());
    // What dev.farmapi.cli.Main does for a client command: slf4j-simple, quietly.
    cmd.addAll(List.of("-Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider",
        "-Dslf4j.internal.verbosity=WARN"));
    cmd.addAll(jvmFlags);
    cmd.addAll(List.of("-cp", farm.classpath(clientClasspath), mainClass));
    cmd.addAll(args);
    return cmd;
  }

  /**
   * The {@code farm} command as users type it: the launcher script, or the CLI's main on the
   * class path when the bench runs from class folders (the smoke test).
   */
  public List<String> farmCommand() {
    return farm.script() != null ? List.of(farm.script().toString())
        : List.of(java, "-cp", clientClasspath, "dev.farmapi.cli.Main");
  }

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
