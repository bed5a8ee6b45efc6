package dev.clauderelay.cli;

/**
 * A subcommand that starts servers and returns while they keep serving (e.g. {@code simulate},
 * later {@code serve}); {@link Main#main} does not call {@code System.exit} after it succeeded, so
 * the JVM lives on in the Vert.x threads until it is killed.
 */
public interface LongRunningCommand {

  /** True once the command has started what it serves and the process must stay alive. */
  boolean keepsRunning();
}
