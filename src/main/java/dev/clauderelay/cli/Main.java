package dev.clauderelay.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code claude-relay} command line. Each subcommand is its own class, registered in the {@code
 * subcommands} list below; one that keeps serving after it returns implements {@link
 * LongRunningCommand}.
 */
@Command(
    name = "claude-relay",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Reactive, non-blocking resilience layer for the Anthropic API on Vert.x.",
    subcommands = {
      ServeCommand.class,
      DemoCommand.class,
      SimulateCommand.class,
      BatchCommand.class,
      DoctorCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Callable<Integer> {

  @Spec CommandSpec spec;

  /**
   * Without a subcommand: {@code serve}. Executed as a subcommand so that {@link #main} sees it in
   * the parse result and keeps the JVM running.
   */
  @Override
  public Integer call() {
    return spec.commandLine().execute("serve");
  }

  /** Runs the command line and returns its exit code, without exiting (for tests and embedding). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured picocli command line, for callers that want to set streams or handlers. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main());
  }

  public static void main(String... args) {
    CommandLine commandLine = commandLine();
    int exitCode = commandLine.execute(args);
    if (exitCode != 0 || !keepsRunning(commandLine.getParseResult())) {
      System.exit(exitCode);
    }
  }

  private static boolean keepsRunning(ParseResult parseResult) {
    if (parseResult == null) {
      return false;
    }
    List<CommandLine> executed = parseResult.asCommandLineList();
    Object last = executed.get(executed.size() - 1).getCommand();
    return last instanceof LongRunningCommand command && command.keepsRunning();
  }

  /** The version from the jar manifest, when built as the fat jar. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"claude-relay " + (version == null ? "(development build)" : version)};
    }
  }
}
