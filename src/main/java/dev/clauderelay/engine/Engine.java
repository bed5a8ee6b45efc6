package dev.clauderelay.engine;

import dev.clauderelay.transport.RegionTransport;
import dev.clauderelay.transport.TransportOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.function.DoubleSupplier;

/** Owns the transports of the configured regions and the pipeline that uses them. */
public final class Engine {
  private final RegionTransport transport;
  private final Pipeline pipeline;

  private Engine(RegionTransport transport, Pipeline pipeline) {
    this.transport = transport;
    this.pipeline = pipeline;
  }

  public static Engine create(
      Vertx vertx, EngineConfig config, Clock clock, DoubleSupplier random) {
    RegionTransport transport =
        new RegionTransport(
            vertx,
            new TransportOptions(
                config.baseUrl(),
                config.connectTimeoutMs(),
                config.responseTimeoutMs(),
                config.idleTimeoutMs(),
                config.maxConnections(),
                config.maxWaitQueue(),
                config.anthropicVersion()));
    RetryPolicy policy =
        new RetryPolicy(
            config.maxRetries(),
            new Backoff(config.initialBackoffMs(), config.maxBackoffMs()),
            config.maxRetryAfterMs(),
            config.deadlineMs());
    Pipeline pipeline =
        new Pipeline(
            policy,
            List.of(new Target(config.region(), transport, config.apiKey())),
            clock,
            random);
    return new Engine(transport, pipeline);
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  public Future<Void> close() {
    return transport.close();
  }
}
