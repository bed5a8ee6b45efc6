package dev.clauderelay.sim;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the simulated server misbehaves when no scripted response is queued.
 *
 * <p>Each constant has a command-line name ({@link #cliName()}) that {@link #parse(String)} accepts
 * case-insensitively; see {@link SimulatedAnthropic} for what each profile does on the wire.
 */
public enum FaultProfile {
  /** Always answers. */
  HEALTHY("healthy"),
  /** Seeded random mix of 529, 500, 429 and latency spikes; otherwise healthy. */
  FLAKY("flaky"),
  /** Always 529 {@code overloaded_error}. */
  OVERLOADED("overloaded"),
  /** Enforces a per-key request window and reports it in {@code anthropic-ratelimit-*} headers. */
  RATELIMITED("ratelimited"),
  /** Streams are cut after some content deltas, without {@code message_stop}. */
  MIDSTREAM_CUT("midstream-cut"),
  /** Accepts requests and never answers them. */
  STALL("stall");

  private final String cliName;

  FaultProfile(String cliName) {
    this.cliName = cliName;
  }

  /** The name used on the command line and in JSON options, e.g. {@code midstream-cut}. */
  public String cliName() {
    return cliName;
  }

  /** The command-line names of all profiles, comma-separated, for error messages and help. */
  public static String allowedNames() {
    return Arrays.stream(values()).map(FaultProfile::cliName).collect(Collectors.joining(", "));
  }

  /**
   * Parses a profile name, ignoring case; {@code _} is accepted for {@code -} so that enum-style
   * names ({@code MIDSTREAM_CUT}) work as well.
   *
   * @throws IllegalArgumentException naming the allowed values when {@code name} is unknown
   */
  public static FaultProfile parse(String name) {
    if (name != null) {
      String wanted = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
      for (FaultProfile profile : values()) {
        if (profile.cliName.equals(wanted)) {
          return profile;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown fault profile '" + name + "'; allowed: " + allowedNames());
  }

  @Override
  public String toString() {
    return cliName;
  }
}
