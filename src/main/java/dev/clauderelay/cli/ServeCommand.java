package dev.clauderelay.cli;

import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.config.ConfigException;
import dev.clauderelay.config.ConfigLoader;
import dev.clauderelay.config.GatewayConfig;
import dev.clauderelay.config.RegionConfig;
import dev.clauderelay.config.RelayConfig;
import dev.clauderelay.eventbus.ClaudeVerticle;
import dev.clauderelay.gateway.GatewayOptions;
import dev.clauderelay.gateway.GatewayVerticle;
import dev.clauderelay.gateway.RegionStatus;
import dev.clauderelay.health.HealthOptions;
import dev.clauderelay.health.HealthVerticle;
import dev.clauderelay.region.RegionTable;
import dev.clauderelay.transport.CaBundle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
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
 * configured regions, with health probes. SIGTERM stops accepting connections, lets in-flight
 * requests finish (up to {@link GatewayOptions#DEFAULT_SHUTDOWN_TIMEOUT_MS}), then closes.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the Anthropic-compatible HTTP gateway (the default command).")
public final class ServeCommand implements Callable<Integer>, LongRunningCommand {
  private static final long START_TIMEOUT_SECONDS = 30;

  /** Beyond the gateway's own drain time: health probes, connection pools, Vert.x. */
  private static final long CLOSE_TIMEOUT_SECONDS = 10;

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
  private volatile Vertx vertx;
  private volatile ClaudeClient client;
  private volatile String gatewayDeployment;
  private volatile String healthDeployment;
  private volatile int port = -1;
  private volatile long shutdownTimeoutMs = GatewayOptions.DEFAULT_SHUTDOWN_TIMEOUT_MS;
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
    shutdownTimeoutMs = gateway.getShutdownTimeoutMs();
    vertx = Vertx.vertx();
    client = Clients.create(vertx, cfg);
    RegionTable regions = client.engine().regions();
    GatewayVerticle verticle =
        new GatewayVerticle(
            client,
            gateway,
            RegionStatus.of(regions::anyUsable, regions::snapshot),
            client.metrics()::scrape);
    try {
      healthDeployment =
          await(
              vertx.deployVerticle(
                  new HealthVerticle(regions, client.engine().transports(), healthOptions(cfg))),
              START_TIMEOUT_SECONDS);
      // The event-bus service (claude.messages, claude.stream) over the same client.
      await(vertx.deployVerticle(new ClaudeVerticle(client)), START_TIMEOUT_SECONDS);
      gatewayDeployment = await(vertx.deployVerticle(verticle), START_TIMEOUT_SECONDS);
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
      stop();
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
      return 1;
    }
    port = verticle.actualPort();
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
    Vertx v = vertx;
    if (v == null) {
      return;
    }
    long drainSeconds = TimeUnit.MILLISECONDS.toSeconds(shutdownTimeoutMs) + 1;
    quietly(gatewayDeployment == null ? null : v.undeploy(gatewayDeployment), drainSeconds);
    quietly(healthDeployment == null ? null : v.undeploy(healthDeployment), CLOSE_TIMEOUT_SECONDS);
    quietly(client == null ? null : client.close(), CLOSE_TIMEOUT_SECONDS);
    quietly(v.close(), CLOSE_TIMEOUT_SECONDS);
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

  private static <T> T await(Future<T> future, long seconds)
      throws ExecutionException, TimeoutException, InterruptedException {
    return MainThread.await(future, TimeUnit.SECONDS.toMillis(seconds));
  }

  private static void quietly(Future<?> future, long seconds) {
    if (future == null) {
      return;
    }
    try {
      await(future, seconds);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Stopping anyway: what did not close in time is dropped with the process.
    }
  }

  /** Probes trust what traffic trusts: the JVM's CAs plus {@code tls.caFile}. */
  private static HealthOptions healthOptions(RelayConfig cfg) {
    Path caFile = cfg.tls().caFile();
    ClientSSLOptions tls =
        caFile == null
            ? null
            : new ClientSSLOptions().setTrustOptions(CaBundle.read(caFile).trustOptions());
    return new HealthOptions(cfg.health().intervalMs(), cfg.health().timeoutMs(), tls);
  }
}
