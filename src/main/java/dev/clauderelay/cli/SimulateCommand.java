package dev.clauderelay.cli;

import dev.clauderelay.sim.FaultProfile;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code claude-relay simulate}: runs the simulated Anthropic API alone until killed. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Run the simulated Anthropic API (offline development, chaos drills, demos).")
public final class SimulateCommand implements Callable<Integer>, LongRunningCommand {

  private static final long START_TIMEOUT_SECONDS = 30;
  private static final long STOP_TIMEOUT_SECONDS = 10;

  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "8090",
      description = "TCP port, 0 for an ephemeral one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      defaultValue = SimOptions.DEFAULT_HOST,
      description = "Interface to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--profile",
      defaultValue = "healthy",
      converter = ProfileConverter.class,
      completionCandidates = ProfileNames.class,
      description = "Fault profile, one of: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  FaultProfile profile;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Seed of generated text and of flaky's dice (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--latency-ms",
      defaultValue = "0",
      description = "Base latency added to every response, ms (default: ${DEFAULT-VALUE}).")
  long latencyMs;

  @Option(
      names = "--rpm",
      defaultValue = "60",
      description = "Requests per minute and key under ratelimited (default: ${DEFAULT-VALUE}).")
  int requestsPerMinute;

  @Option(
      names = "--max-text-tokens",
      defaultValue = "256",
      description = "Words (= tokens) of a full answer (default: ${DEFAULT-VALUE}).")
  int maxTextTokens;

  @Option(
      names = "--stream-delay-ms",
      defaultValue = "0",
      description = "Pause between streamed text deltas, ms (default: ${DEFAULT-VALUE}).")
  long streamDelayMs;

  @Option(
      names = "--api-key",
      description = "Accept only this key (repeatable); by default any key is accepted.")
  List<String> acceptedKeys = List.of();

  @Option(names = "--no-auth", description = "Answer requests that carry no API key.")
  boolean noAuth;

  private volatile boolean running;

  @Override
  public Integer call() {
    SimOptions options = options();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Vertx vertx = Vertx.vertx();
    SimulatedAnthropic sim;
    try {
      sim =
          SimulatedAnthropic.start(vertx, options)
              .toCompletionStage()
              .toCompletableFuture()
              .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      err.println(
          "claude-relay simulate: cannot listen on "
              + host
              + ":"
              + port
              + ": "
              + cause.getMessage());
      err.flush();
      closeQuietly(vertx);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(vertx);
      return 1;
    }
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> closeQuietly(vertx), "claude-relay-simulate-shutdown"));
    out.println("simulated Anthropic API (profile " + profile + ") listening on " + sim.baseUrl());
    out.flush();
    running = true;
    return CommandLine.ExitCode.OK;
  }

  @Override
  public boolean keepsRunning() {
    return running;
  }

  /** Options from the flags; a value out of range is a usage error naming the flag's option. */
  private SimOptions options() {
    try {
      return new SimOptions()
          .setHost(host)
          .setPort(port)
          .setProfile(profile)
          .setSeed(seed)
          .setLatencyMs(latencyMs)
          .setRequestsPerMinute(requestsPerMinute)
          .setMaxTextTokens(maxTextTokens)
          .setStreamDeltaDelayMs(streamDelayMs)
          .setAcceptedKeys(acceptedKeys)
          .setRequireAuth(!noAuth);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Exiting anyway: nothing left to do with a Vert.x that will not close.
    }
  }

  /** Parses profile names case-insensitively, with an error listing the allowed ones. */
  static final class ProfileConverter implements ITypeConverter<FaultProfile> {
    @Override
    public FaultProfile convert(String value) {
      try {
        return FaultProfile.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** The profile names shown in help. */
  static final class ProfileNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(FaultProfile.values()).map(FaultProfile::cliName).iterator();
    }
  }
}
