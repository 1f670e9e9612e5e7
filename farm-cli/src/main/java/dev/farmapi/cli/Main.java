package dev.farmapi.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code farm} command. Each subcommand is a thin shell over the libraries. */
@Command(
    name = "farm",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Manage the animals on a farm, each with a picture: serve, upload, download.")
public final class Main {
  /**
   * The subcommands, in the order the help lists them. Only the one asked for is added (all of
   * them for help, a bare or a mistyped command): picocli builds the whole model of every
   * command added, with its converters, which was a third of a client command's start-up.
   */
  private static final Map<String, Class<?>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("demo", DemoCommand.class);
    COMMANDS.put("serve", ServeCommand.class);
    COMMANDS.put("upload", UploadCommand.class);
    COMMANDS.put("uploads", UploadsCommand.class);
    COMMANDS.put("download", DownloadCommand.class);
    COMMANDS.put("animals", AnimalsCommand.class);
    COMMANDS.put("keys", KeysCommand.class);
    COMMANDS.put("help", CommandLine.HelpCommand.class);
  }

  /** The commands that run a server, and log as one (logback, its configuration file). */
  private static final java.util.Set<String> SERVERS = java.util.Set.of("serve", "demo");

  public static void main(String[] args) {
    chooseLogging(args);
    System.exit(run(args));
  }

  /**
   * A client command logs through slf4j-simple, set up from system properties (the library's
   * warnings, terse, on stderr; {@code FARM_LOG_LEVEL=debug} for more), rather than logback,
   * whose XML configuration alone cost ~0.2 s of a short command. A server keeps logback. Made
   * before the first logger; a provider chosen with {@code -Dslf4j.provider} is kept.
   */
  static void chooseLogging(String[] args) {
    if (System.getProperty("slf4j.provider") != null) {
      return;
    }
    // SLF4J says which provider a property chose, at INFO, on stderr: stdout and stderr are
    // the command's own.
    System.setProperty("slf4j.internal.verbosity", "WARN");
    String command = subcommand(args);
    if (command != null && SERVERS.contains(command)) {
      System.setProperty("slf4j.provider", "ch.qos.logback.classic.spi.LogbackServiceProvider");
      return;
    }
    String level = System.getenv("FARM_LOG_LEVEL");
    System.setProperty("slf4j.provider", "org.slf4j.simple.SimpleServiceProvider");
    String prefix = "org.slf4j.simpleLogger.";
    System.setProperty(prefix + "logFile", "System.err");
    System.setProperty(prefix + "defaultLogLevel", "warn");
    System.setProperty(prefix + "log.dev.farmapi", level != null ? level : "info");
    // The commands tell about retries and resumes themselves, above the progress bar.
    System.setProperty(prefix + "log.dev.farmapi.apiclient", level != null ? level : "warn");
    System.setProperty(prefix + "showDateTime", "true");
    System.setProperty(prefix + "dateTimeFormat", "HH:mm:ss.SSS");
    System.setProperty(prefix + "showThreadName", "false");
    System.setProperty(prefix + "showShortLogName", "true");
  }

  /** The first argument that is not an option: the subcommand's name, or null. */
  private static String subcommand(String[] args) {
    for (String a : args) {
      if (!a.startsWith("-")) {
        return a;
      }
    }
    return null;
  }

  /** Runs the command line and returns its exit code, without exiting: for tests and embedding. */
  public static int run(String... args) {
    CommandLine farm = new CommandLine(new Main());
    String asked = subcommand(args);
    boolean one = asked != null && !asked.equals("help") && COMMANDS.containsKey(asked);
    COMMANDS.forEach((name, command) -> {
      if (!one || name.equals(asked)) {
        farm.addSubcommand(name, command);
      }
    });
    return farm
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
