package dev.farmapi.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code farm} command. Each subcommand is a thin shell over the libraries. */
@Command(
    name = "farm",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Manage the animals on a farm, each with a picture: serve, upload, download.",
    subcommands = {DemoCommand.class, ServeCommand.class, KeysCommand.class, AnimalsCommand.class,
        DownloadCommand.class, CommandLine.HelpCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code, without exiting: for tests and embedding. */
  public static int run(String... args) {
    return new CommandLine(new Main())
        .registerConverter(Long.class, Sizes::parseBytes)
        .registerConverter(java.time.Duration.class, Sizes::parseDuration)
        .setUnmatchedOptionsArePositionalParams(true) // an id may start with '-' (one in 64)
        .setExecutionExceptionHandler(Main::onError)
        .execute(args);
  }

  private static int onError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    boolean verbose = parsed.expandedArgs().contains("--verbose")
        || parsed.expandedArgs().contains("-v");
    Failures.report(e, verbose, cmd.getErr());
    return Failures.exitCode(e);
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"farm " + (v == null ? "(development build)" : v)};
    }
  }
}
