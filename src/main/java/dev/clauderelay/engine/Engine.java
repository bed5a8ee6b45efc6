package dev.clauderelay.engine;

import dev.clauderelay.api.UpstreamRequest;
import dev.clauderelay.metrics.RelayMetrics;
import dev.clauderelay.region.BreakerSettings;
import dev.clauderelay.region.KeyPool;
import dev.clauderelay.region.PacingSettings;
import dev.clauderelay.region.Region;
import dev.clauderelay.region.RegionTable;
import dev.clauderelay.region.TokenBucket;
import dev.clauderelay.transport.NetworkSettings;
import dev.clauderelay.transport.RegionTransport;
import dev.clauderelay.transport.StreamSettings;
import dev.clauderelay.transport.TransportOptions;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Owns the regions (key pools, breakers, pacers), their transports and the pipeline that uses them.
 * Health probes are not started here: whoever runs the relay deploys a {@code HealthVerticle} over
 * {@link #regions()} and {@link #transports()} (the gateway does).
 */
public final class Engine {
  /** "No fixed rate": the bucket still exists for the adaptive budget, at a rate never reached. */
  static final int UNLIMITED_RPM = 6_000_000;

  static final int UNLIMITED_BURST = 100_000;

  /** Continuations per stream when {@code stream.resume} is on; a stream cut more often fails. */
  static final int MAX_RESUMES = 3;

  private final RegionTable regions;
  private final Map<String, RegionTransport> transports;
  private final Pipeline pipeline;
  private final StreamSettings streamSettings;
  private final int maxResumes;
  private final Degradation degradation;

  private Engine(
      RegionTable regions,
      Map<String, RegionTransport> transports,
      Pipeline pipeline,
      StreamSettings streamSettings,
      int maxResumes,
      Degradation degradation) {
    this.maxResumes = maxResumes;
    this.degradation = degradation;
    this.regions = regions;
    this.transports = transports;
    this.pipeline = pipeline;
    this.streamSettings = streamSettings;
  }

  public static Engine create(
      Vertx vertx, EngineConfig config, Clock clock, DoubleSupplier random, RelayMetrics metrics) {
    EngineConfig.Breaker b = config.breaker();
    BreakerSettings breaker =
        new BreakerSettings(b.maxFailures(), b.windowMs(), b.resetTimeoutMs(), b.rampMs());
    EngineConfig.Pacing p = config.pacing();
    PacingSettings pacing =
        p.requestsPerMinute() > 0
            ? new PacingSettings(
                p.requestsPerMinute(), TokenBucket.DEFAULT_BURST, p.adaptive(), p.maxQueued())
            // No fixed rate: a burst as large as any wave of calls, so nothing queues for it.
            : new PacingSettings(UNLIMITED_RPM, UNLIMITED_BURST, p.adaptive(), p.maxQueued());
    EngineConfig.Transport t = config.transport();
    NetworkSettings network = NetworkSettings.of(config.proxy(), config.caFile(), System.getenv());
    List<Region> list = new ArrayList<>();
    Map<String, RegionTransport> transports = new LinkedHashMap<>();
    for (RegionSpec spec : config.regions()) {
      KeyPool keys =
          KeyPool.create(vertx, spec.name(), spec.apiKeys(), spec.apiKeyFiles(), clock::millis);
      if (!spec.apiKeyFiles().isEmpty()) {
        keys.refresh();
        keys.watch(KeyPool.DEFAULT_WATCH_INTERVAL_MS);
      }
      list.add(
          Region.create(vertx, spec.name(), spec.baseUrl(), keys, breaker, pacing, clock::millis));
      transports.put(
          spec.name(),
          new RegionTransport(
              vertx,
              new TransportOptions(
                  spec.baseUrl(),
                  t.connectTimeoutMs(),
                  t.responseTimeoutMs(),
                  t.idleTimeoutMs(),
                  t.maxConnections(),
                  t.maxWaitQueue(),
                  config.anthropicVersion()),
              network));
    }
    RegionTable table = new RegionTable(list);
    list.forEach(region -> RegionGauges.register(metrics, region, clock));
    EngineConfig.Retry r = config.retry();
    RetryPolicy policy =
        new RetryPolicy(
            r.maxRetries(),
            new Backoff(r.initialBackoffMs(), r.maxBackoffMs()),
            r.maxRetryAfterMs(),
            r.deadlineMs());
    Pipeline pipeline = new Pipeline(policy, table, transports, clock, random, metrics);
    return new Engine(
        table,
        Map.copyOf(transports),
        pipeline,
        new StreamSettings(
            config.streamIdleTimeoutMs(),
            config.pingsAreActivity(),
            StreamSettings.DEFAULT_MAX_EVENT_BYTES),
        config.streamResume() ? MAX_RESUMES : 0,
        Degradation.create(vertx, config.degrade(), pipeline, table, metrics, clock));
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  /** The regions, for health probes and {@code /status}. */
  public RegionTable regions() {
    return regions;
  }

  /** Each region's transport by region name, for health probes. */
  public Map<String, RegionTransport> transports() {
    return transports;
  }

  /** For {@code /status}: the regions with state, breaker, latency, last probe; never secrets. */
  public io.vertx.core.json.JsonObject status() {
    return regions.snapshot(System.currentTimeMillis());
  }

  /** Readiness: at least one region can take a call now. */
  public boolean ready() {
    return regions.anyUsable(System.currentTimeMillis());
  }

  /** A streamed call on {@code ctx}; see {@link StreamCall}. */
  public StreamCall stream(UpstreamRequest request, Context ctx, long deadlineMs) {
    return pipeline.stream(request, ctx, deadlineMs, streamSettings, maxResumes);
  }

  /**
   * {@code POST /v1/messages} through the degradation chain (docs/degrade.md): a fresh cached
   * answer, else the pipeline, else stale cache, local model, a queued task ({@code
   * TaskQueuedException}) or the relay's 503 ({@code RelayRefusalException}).
   *
   * @param body the request body {@code request} carries, parsed (the cache key is built from it)
   */
  public Uni<CallResult> messages(
      UpstreamRequest request, JsonObject body, DegradeRequest how, Context ctx, long deadlineMs) {
    return degradation.call(request, body, how, ctx, deadlineMs);
  }

  /** A streamed {@code POST /v1/messages} through the degradation chain; see {@link #messages}. */
  public DegradableStream messagesStream(
      UpstreamRequest request, JsonObject body, DegradeRequest how, Context ctx, long deadlineMs) {
    return new DegradableStream(
        degradation, request, body, how, () -> stream(request, ctx, deadlineMs));
  }

  /** A pending task's client view ({@code GET /v1/relay/tasks/{id}}), empty when unknown. */
  public Future<Optional<JsonObject>> task(String id) {
    return degradation.task(id);
  }

  /** Unfinished pending tasks; -1 when requests are never queued (no store configured). */
  public long pendingTasks() {
    return degradation.pendingTasks();
  }

  public Future<Void> close() {
    regions.close();
    List<Future<Void>> closing = new ArrayList<>();
    closing.add(degradation.close());
    transports.values().forEach(tr -> closing.add(tr.close()));
    return Future.all(closing).mapEmpty();
  }
}
