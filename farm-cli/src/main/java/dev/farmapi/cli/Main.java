package dev.farmapi.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code farm} command. Each subcommand is a thin shell over the libraries. */
@Command(
    name = "farm",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Manage the animals on a farm, each with a picture: serve, upload, download.",
    subcommands = {DemoCommand.class, ServeCommand.class, UploadCommand.class, UploadsCommand.class,
        DownloadCommand.class, AnimalsCommand.class, KeysCommand.class,
        CommandLine.HelpCommand.class})
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
        .setParameterExceptionHandler(Main::onUsageError)
        .execute(args);
  }

  private static int onError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    boolean verbose = parsed.expandedArgs().contains("--verbose")
        || parsed.expandedArgs().contains("-v");
    Failures.report(e, verbose, cmd.getErr());
    return Failures.exitCode(e);
  }

  /** A wrong command line: one line saying what is wrong and where the help is, not the help. */
  private static int onUsageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    if (args.length == 0) {
      cmd.usage(err); // a bare 'farm': show what it can do
    } else {
      String what = e.getMessage().replaceFirst("^Error: ", "");
      err.println("farm: " + what + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
      CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    }
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
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
