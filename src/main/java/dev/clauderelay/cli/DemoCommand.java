package dev.clauderelay.cli;

import ch.qos.logback.classic.Level;
import dev.clauderelay.cli.DemoSummary.RegionInfo;
import dev.clauderelay.cli.DemoTraffic.Result;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.config.ConfigLoader;
import dev.clauderelay.config.RelayConfig;
import dev.clauderelay.gateway.GatewayOptions;
import dev.clauderelay.sim.FaultProfile;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code claude-relay demo}: the gateway, started exactly as {@code serve} starts it ({@link
 * GatewayStack}), over two simulated regions on loopback — {@code primary}, preferred, with
 * intermittent errors, then an overload, then healthy ({@link DemoScenario}); {@code backup}
 * healthy and a little farther — with a short burst of mixed traffic through it, then a summary of
 * what the resilience layer did. Needs no key and no network; exit 0 when the demo ran, 1 when it
 * could not (a port, a timeout), 2 on bad options. docs/demo.md explains the scenario and every
 * figure.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the gateway, as serve runs it, against two simulated regions on 127.0.0.1 (one with",
      "errors, then an overload, then healthy; one healthy), drive a short burst of streaming and",
      "non-streaming requests through it, and print what the resilience layer did: retries,",
      "failovers, breaker transitions, degraded answers, latency. Needs no API key, no network."
    })
public final class DemoCommand implements Callable<Integer> {
  static final String PRIMARY = "primary";
  static final String BACKUP = "backup";

  /** After the traffic, how long an open breaker may take to close (reset timeout + probes). */
  private static final long SETTLE_MS = 2_000;

  private static final long CHECK_MS = 50;

  /** Probe rounds before the traffic starts, at most this long. */
  private static final int WARMUP_ROUNDS = 10;

  private static final long WARMUP_MS = 3_000;

  private static final long START_TIMEOUT_MS = 30_000;
  private static final long STOP_TIMEOUT_MS = 10_000;

  /** Beyond the spread: the slowest call with its retries and waits. */
  private static final long RUN_MARGIN_MS = 60_000;

  /** Words (= tokens) of an answer: short, the demo is about the relay, not the text. */
  private static final int MAX_TOKENS = 24;

  /** The backup is farther away: the router prefers the primary while it is healthy and fast. */
  private static final long BACKUP_LATENCY_MS = 30;

  /** After its breaker closes, the primary takes its share back over this time. */
  private static final long RAMP_MS = 1_000;

  @Spec CommandSpec spec;

  @Option(
      names = "--requests",
      defaultValue = "200",
      paramLabel = "N",
      description = "Requests to send, 1-10000 (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(
      names = "--concurrency",
      defaultValue = "8",
      paramLabel = "N",
      description = "Requests in flight at most, 1-256 (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--spread-ms",
      defaultValue = "2000",
      paramLabel = "MS",
      description =
          "Start the requests evenly over this time, 0-60000; 0 sends as fast as --concurrency"
              + " allows (default: ${DEFAULT-VALUE}).")
  long spreadMs;

  @Option(
      names = "--seed",
      defaultValue = "7",
      paramLabel = "N",
      description =
          "Seed of the traffic mix and of the primary region's errors (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print one JSON document instead of text.")
  boolean json;

  private VertxOptions vertxOptions = new VertxOptions();

  /** Event-loop settings of the demo's Vert.x instances (tests watch for blocked loops). */
  DemoCommand vertxOptions(VertxOptions options) {
    this.vertxOptions = new VertxOptions(options);
    return this;
  }

  @Override
  public Integer call() {
    check("--requests", requests, 1, 10_000);
    check("--concurrency", concurrency, 1, 256);
    check("--spread-ms", spreadMs, 0, 60_000);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Runnable restoreLogs = quietLogs();
    // The simulated regions and the load generator live outside the relay, as they would for real.
    Vertx outside = Vertx.vertx(new VertxOptions(vertxOptions));
    GatewayStack stack = null;
    try {
      SimulatedAnthropic primary =
          MainThread.await(
              SimulatedAnthropic.start(outside, simOptions(FaultProfile.HEALTHY, 0)),
              START_TIMEOUT_MS);
      SimulatedAnthropic backup =
          MainThread.await(
              SimulatedAnthropic.start(
                  outside, simOptions(FaultProfile.HEALTHY, BACKUP_LATENCY_MS)),
              START_TIMEOUT_MS);
      RelayConfig cfg =
          ConfigLoader.fromYaml(config(primary, backup), "the demo's configuration", Map.of());
      ClaudeClientOptions clientOptions = Clients.options(cfg).setBreakerRampMs(RAMP_MS);
      GatewayOptions gateway =
          ServeCommand.gatewayOptions(cfg.gateway()).setShutdownTimeoutMs(STOP_TIMEOUT_MS);
      stack = GatewayStack.start(cfg, clientOptions, gateway, vertxOptions, START_TIMEOUT_MS);

      DemoWatch watch = new DemoWatch(stack);
      MainThread.await(watch.ready(), START_TIMEOUT_MS);

      // The router ranks regions by measured latency, and the first probes of a cold JVM are
      // slow: a few rounds back to back replace those figures before the traffic starts.
      // Best effort: on a very busy machine the traffic starts anyway.
      quietly(probeRounds(stack, WARMUP_ROUNDS), WARMUP_MS);
      DemoScenario scenario = new DemoScenario(primary, requests, seed);
      DemoTraffic traffic =
          new DemoTraffic(
              outside,
              stack.port(),
              DemoTraffic.plan(requests, seed, MAX_TOKENS),
              concurrency,
              spreadMs,
              scenario);
      watch.start();
      List<Result> results = MainThread.await(traffic.run(), spreadMs + RUN_MARGIN_MS);
      long durationMs = watch.elapsedMs();
      // An outage late in the run: let the probes close the breaker, so whole cycles show.
      MainThread.await(breakersClosed(stack, SETTLE_MS), SETTLE_MS + START_TIMEOUT_MS);
      DemoSummary summary =
          new DemoSummary(
              new DemoSummary.Setup(
                  "http://127.0.0.1:" + stack.port(),
                  List.of(
                      new RegionInfo(
                          PRIMARY,
                          primary.baseUrl(),
                          "preferred: configured first",
                          scenario.describe()),
                      new RegionInfo(
                          BACKUP,
                          backup.baseUrl(),
                          "configured second",
                          "healthy, " + BACKUP_LATENCY_MS + " ms farther")),
                  requests,
                  concurrency,
                  spreadMs,
                  seed),
              results,
              stack.registry(),
              watch.breakerTransitions(),
              watch.stateChanges(),
              durationMs);
      if (json) {
        out.println(DoctorCommand.encode(summary.toJson()));
      } else {
        out.print(summary.toText());
      }
      out.flush();
      return CommandLine.ExitCode.OK;
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      err.println("claude-relay demo: the demo could not run: " + cause);
      err.flush();
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      if (stack != null) {
        stack.stop();
      }
      quietly(outside.close(), STOP_TIMEOUT_MS);
      restoreLogs.run();
    }
  }

  /** Runs {@code rounds} health-probe rounds one after the other. */
  private static Future<Void> probeRounds(GatewayStack stack, int rounds) {
    Future<Void> done = Future.succeededFuture();
    for (int i = 0; i < rounds; i++) {
      done = done.compose(v -> stack.health().probeNow());
    }
    return done;
  }

  /** Completes when {@code condition} holds, checked on a timer, or after {@code limitMs}. */
  private static Future<Void> until(GatewayStack stack, BooleanSupplier condition, long limitMs) {
    Promise<Void> done = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMs);
    stack
        .vertx()
        .setPeriodic(
            CHECK_MS,
            id -> {
              if (condition.getAsBoolean() || System.nanoTime() - deadline > 0) {
                stack.vertx().cancelTimer(id);
                done.tryComplete();
              }
            });
    return done.future();
  }

  /** Completes when every region's breaker is closed, or after {@code limitMs}; timer-driven. */
  private static Future<Void> breakersClosed(GatewayStack stack, long limitMs) {
    return until(
        stack,
        () ->
            stack.regions().regions().stream()
                .allMatch(r -> r.breaker().state() == CircuitBreakerState.CLOSED),
        limitMs);
  }

  private SimOptions simOptions(FaultProfile profile, long latencyMs) {
    return new SimOptions()
        .setHost("127.0.0.1")
        .setPort(0)
        .setProfile(profile)
        .setSeed(seed)
        .setLatencyMs(latencyMs)
        .setMaxTextTokens(MAX_TOKENS);
  }

  /**
   * The relay's configuration for the demo: the YAML of conf/config.yaml with short timings, so
   * that a breaker opens, half-opens and closes within seconds. No environment is read: the demo is
   * the same wherever it runs. No pending tasks (nothing is written to disk).
   */
  static String config(SimulatedAnthropic primary, SimulatedAnthropic backup) {
    return String.join(
        "\n",
        "gateway: { host: 127.0.0.1, port: 0, tokens: [] }",
        "regions:",
        "  - name: " + PRIMARY,
        "    baseUrl: \"" + primary.baseUrl() + "\"",
        "    apiKeys: [demo-primary-key-1, demo-primary-key-2, demo-primary-key-3]",
        "  - name: " + BACKUP,
        "    baseUrl: \"" + backup.baseUrl() + "\"",
        "    apiKeys: [demo-backup-key-1]",
        "retry: { maxRetries: 3, initialBackoffMs: 50, maxBackoffMs: 400,"
            + " maxRetryAfterMs: 2000, deadlineMs: 20000 }",
        "breaker: { maxFailures: 3, windowMs: 5000, resetTimeoutMs: 400 }",
        "health: { intervalMs: 200, timeoutMs: 3000 }",
        "rateLimit: { requestsPerMinute: 1000000, adaptive: true, maxQueued: 1000 }",
        "cache: { enabled: true, ttlMs: 60000, maxEntries: 1000 }",
        "degrade: { maxPendingTasks: 0 }",
        "");
  }

  private void check(String flag, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ParameterException(
          spec.commandLine(), flag + " must be between " + min + " and " + max + ", got " + value);
    }
  }

  /**
   * The gateway's line per request would drown the summary; CLAUDE_RELAY_LOG_LEVEL still decides
   * when set. Returns what restores the level.
   */
  private static Runnable quietLogs() {
    if (System.getenv("CLAUDE_RELAY_LOG_LEVEL") != null) {
      return () -> {};
    }
    // Micrometer's one warning that Vert.x registered a gauge twice (docs/gateway.md, Metrics).
    Runnable micrometer = quiet("io.micrometer.core.instrument.MeterRegistry");
    Runnable relay = quiet("dev.clauderelay");
    return () -> {
      relay.run();
      micrometer.run();
    };
  }

  private static Runnable quiet(String name) {
    if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
      Level before = logger.getLevel();
      logger.setLevel(Level.ERROR);
      return () -> logger.setLevel(before);
    }
    return () -> {};
  }

  private static void quietly(Future<?> future, long timeoutMs) {
    try {
      MainThread.await(future, timeoutMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Going on (warm-up) or exiting anyway (close).
    }
  }
}
