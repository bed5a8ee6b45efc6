package dev.clauderelay.engine;

import dev.clauderelay.api.UpstreamRequest;
import dev.clauderelay.transport.RegionTransport;
import dev.clauderelay.transport.StreamSettings;
import dev.clauderelay.transport.TransportOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.function.DoubleSupplier;

/** Owns the transports of the configured regions and the pipeline that uses them. */
public final class Engine {
  private final RegionTransport transport;
  private final Pipeline pipeline;
  private final StreamSettings streamSettings;

  private Engine(RegionTransport transport, Pipeline pipeline, StreamSettings streamSettings) {
    this.transport = transport;
    this.pipeline = pipeline;
    this.streamSettings = streamSettings;
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
    return new Engine(
        transport,
        pipeline,
        new StreamSettings(
            config.streamIdleTimeoutMs(),
            config.pingsAreActivity(),
            StreamSettings.DEFAULT_MAX_EVENT_BYTES));
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  /** A streamed call on {@code ctx}; see {@link StreamCall}. */
  public StreamCall stream(UpstreamRequest request, Context ctx, long deadlineMs) {
    return pipeline.stream(request, ctx, deadlineMs, streamSettings);
  }

  public Future<Void> close() {
    return transport.close();
  }
}
