package dev.clauderelay.cli;

import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.config.RelayConfig;
import dev.clauderelay.eventbus.ClaudeVerticle;
import dev.clauderelay.gateway.GatewayOptions;
import dev.clauderelay.gateway.GatewayVerticle;
import dev.clauderelay.gateway.RegionStatus;
import dev.clauderelay.health.HealthOptions;
import dev.clauderelay.health.HealthVerticle;
import dev.clauderelay.region.RegionTable;
import dev.clauderelay.transport.CaBundle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.ClientSSLOptions;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@code serve} runs, in one piece so that {@code demo} runs exactly the same: a Vert.x whose
 * own meters share the relay's Prometheus registry, the {@link ClaudeClient}, the health prober,
 * the event-bus service and the HTTP gateway. Started and stopped on the command's own thread
 * ({@link MainThread}), never on an event loop.
 */
final class GatewayStack {
  /** Beyond the gateway's own drain time: health probes, connection pools, Vert.x. */
  private static final long CLOSE_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final ClaudeClient client;
  private final GatewayVerticle gateway;
  private final HealthVerticle health;
  private final long shutdownTimeoutMs;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private volatile String gatewayDeployment;
  private volatile String healthDeployment;

  private GatewayStack(
      Vertx vertx,
      PrometheusMeterRegistry registry,
      ClaudeClient client,
      GatewayVerticle gateway,
      HealthVerticle health,
      long shutdownTimeoutMs) {
    this.vertx = vertx;
    this.registry = registry;
    this.client = client;
    this.gateway = gateway;
    this.health = health;
    this.shutdownTimeoutMs = shutdownTimeoutMs;
  }

  /**
   * Starts everything and returns once the gateway listens. On a failure, what was started is
   * stopped again and the failure thrown.
   *
   * @param clientOptions usually {@code Clients.options(cfg)}
   * @param vertxOptions event-loop settings; the metrics options are set here
   */
  static GatewayStack start(
      RelayConfig cfg,
      ClaudeClientOptions clientOptions,
      GatewayOptions gatewayOptions,
      VertxOptions vertxOptions,
      long timeoutMs)
      throws ExecutionException, TimeoutException, InterruptedException {
    // The registry exists before Vert.x so that Vert.x's label rules apply to every meter.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = MeteredVertx.create(registry, vertxOptions, cfg.transport().epoll());
    GatewayStack stack;
    try {
      ClaudeClient client = ClaudeClient.create(vertx, clientOptions, registry);
      RegionTable regions = client.engine().regions();
      GatewayVerticle gateway =
          new GatewayVerticle(
              client,
              gatewayOptions,
              RegionStatus.of(regions::anyUsable, regions::snapshot),
              registry::scrape);
      HealthVerticle health =
          new HealthVerticle(regions, client.engine().transports(), healthOptions(cfg));
      stack =
          new GatewayStack(
              vertx, registry, client, gateway, health, gatewayOptions.getShutdownTimeoutMs());
    } catch (RuntimeException e) {
      // Closing Vert.x closes the client's connection pools too.
      quietly(vertx.close(), CLOSE_TIMEOUT_MS);
      throw e;
    }
    try {
      stack.healthDeployment = MainThread.await(vertx.deployVerticle(stack.health), timeoutMs);
      // The event-bus service (claude.messages, claude.stream) over the same client.
      MainThread.await(vertx.deployVerticle(new ClaudeVerticle(stack.client)), timeoutMs);
      stack.gatewayDeployment = MainThread.await(vertx.deployVerticle(stack.gateway), timeoutMs);
    } catch (ExecutionException | TimeoutException | InterruptedException | RuntimeException e) {
      stack.stop();
      throw e;
    }
    return stack;
  }

  Vertx vertx() {
    return vertx;
  }

  ClaudeClient client() {
    return client;
  }

  RegionTable regions() {
    return client.engine().regions();
  }

  /** The health prober (its rounds so far, a probe now). */
  HealthVerticle health() {
    return health;
  }

  /** The registry of the relay's and Vert.x's meters. */
  PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The port the gateway listens on. */
  int port() {
    return gateway.actualPort();
  }

  /**
   * Stops accepting, lets in-flight requests finish (up to the gateway's shutdown timeout), then
   * closes the prober, the connection pools and Vert.x. Idempotent; blocks the calling thread,
   * which must not be a Vert.x thread.
   */
  void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    String gw = gatewayDeployment;
    String health = healthDeployment;
    quietly(gw == null ? null : vertx.undeploy(gw), shutdownTimeoutMs + 1_000);
    quietly(health == null ? null : vertx.undeploy(health), CLOSE_TIMEOUT_MS);
    quietly(client.close(), CLOSE_TIMEOUT_MS);
    quietly(vertx.close(), CLOSE_TIMEOUT_MS);
  }

  private static void quietly(Future<?> future, long timeoutMs) {
    if (future == null) {
      return;
    }
    try {
      MainThread.await(future, timeoutMs);
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
