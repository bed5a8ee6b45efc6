package dev.clauderelay.cli;

import dev.clauderelay.config.ConfigException;
import dev.clauderelay.config.ConfigLoader;
import dev.clauderelay.config.GatewayConfig;
import dev.clauderelay.config.RegionConfig;
import dev.clauderelay.config.RelayConfig;
import dev.clauderelay.gateway.GatewayOptions;
import dev.clauderelay.gateway.GatewayVerticle;
import io.vertx.core.VertxOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code claude-relay serve} (also what runs without a subcommand): the HTTP gateway over the
 * configured regions, with health probes and the event-bus service ({@link GatewayStack}); Vert.x's
 * own meters and the relay's share one Prometheus registry, served at {@code /metrics}. SIGTERM
 * stops accepting connections, lets in-flight requests finish (up to {@link
 * GatewayOptions#DEFAULT_SHUTDOWN_TIMEOUT_MS}), then closes.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the Anthropic-compatible HTTP gateway (the default command).")
public final class ServeCommand implements Callable<Integer>, LongRunningCommand {
  private static final long START_TIMEOUT_SECONDS = 30;

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Configuration file (default: conf/config.yaml when present, else built-in defaults).")
  Path config;

  private Map<String, String> env = System.getenv();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private volatile boolean running;
  private volatile GatewayStack stack;
  private volatile int port = -1;
  private Thread hook;

  /** The environment the configuration reads (tests); the process's by default. */
  public ServeCommand environment(Map<String, String> env) {
    this.env = Map.copyOf(env);
    return this;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RelayConfig cfg;
    try {
      cfg = ConfigLoader.load(config, env);
    } catch (ConfigException e) {
      err.println("claude-relay serve: invalid configuration:");
      err.println(e.getMessage());
      err.flush();
      return CommandLine.ExitCode.USAGE;
    }
    GatewayOptions gateway = gatewayOptions(cfg.gateway());
    String problem = GatewayVerticle.startupProblem(gateway);
    if (problem != null) {
      err.println("claude-relay serve: " + problem);
      err.flush();
      return CommandLine.ExitCode.USAGE;
    }
    GatewayStack started;
    try {
      started =
          GatewayStack.start(
              cfg,
              Clients.options(cfg),
              gateway,
              new VertxOptions(),
              TimeUnit.SECONDS.toMillis(START_TIMEOUT_SECONDS));
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      err.println(
          "claude-relay serve: cannot start the gateway on "
              + gateway.getHost()
              + ":"
              + gateway.getPort()
              + ": "
              + cause.getMessage());
      err.flush();
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    stack = started;
    if (stopped.get()) {
      // SIGTERM arrived while starting: stop() found nothing to stop yet.
      started.stop();
      return 1;
    }
    port = started.port();
    hook = new Thread(this::stop, "claude-relay-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println(
        "claude-relay gateway listening on http://"
            + hostForUrl(gateway.getHost())
            + ":"
            + port
            + " (regions: "
            + cfg.regions().stream().map(RegionConfig::name).collect(Collectors.joining(", "))
            + "; client auth: "
            + (gateway.getTokens().isEmpty()
                ? "none, loopback only"
                : gateway.getTokens().size() + " token(s)")
            + "; transport: "
            + MeteredVertx.transportName(started.vertx())
            + ")");
    out.flush();
    running = true;
    return CommandLine.ExitCode.OK;
  }

  @Override
  public boolean keepsRunning() {
    return running;
  }

  /** The port the gateway listens on, or -1 before it does. */
  public int port() {
    return port;
  }

  /**
   * Stops accepting, lets in-flight requests finish (bounded), then closes everything. Idempotent;
   * runs on SIGTERM from the shutdown hook. Blocks the calling thread (never an event loop).
   */
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    running = false;
    removeHook();
    GatewayStack s = stack;
    if (s != null) {
      s.stop();
    }
  }

  static GatewayOptions gatewayOptions(GatewayConfig gateway) {
    return new GatewayOptions()
        .setHost(gateway.host())
        .setPort(gateway.port())
        .setTokens(gateway.tokens())
        .setMaxBodyBytes(gateway.maxBodyBytes());
  }

  private void removeHook() {
    Thread h = hook;
    if (h != null && Thread.currentThread() != h) {
      try {
        Runtime.getRuntime().removeShutdownHook(h);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is exiting and runs the hook (which finds the work done).
      }
    }
  }

  private static String hostForUrl(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
