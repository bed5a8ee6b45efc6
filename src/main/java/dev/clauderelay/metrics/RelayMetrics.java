package dev.clauderelay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The relay's meters, defined in one place. Labels are low-cardinality by construction: region
 * names come from config, endpoints from a fixed set of paths, statuses from HTTP. Recording is
 * cheap enough for an event loop (Micrometer's meters are lock-free after the first lookup).
 */
public final class RelayMetrics {
  private static final List<String> BREAKER_STATES = List.of("CLOSED", "OPEN", "HALF_OPEN");
  private static final List<String> KNOWN_ENDPOINTS =
      List.of("/v1/messages", "/v1/messages/count_tokens", "/v1/models");

  private final MeterRegistry registry;

  public RelayMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A registry of its own, rendered as Prometheus text by {@link #scrape()}. */
  public static RelayMetrics prometheus() {
    return new RelayMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Prometheus text, or an empty string when the registry is not a Prometheus one. */
  public String scrape() {
    return registry instanceof PrometheusMeterRegistry prometheus ? prometheus.scrape() : "";
  }

  public void attempt(String method, String path, int status, String region, long nanos) {
    String endpoint = endpoint(path);
    Counter.builder(MetricNames.REQUESTS)
        .tags(
            "method", method,
            "endpoint", endpoint,
            "status_code", status > 0 ? Integer.toString(status) : "none",
            "region", region)
        .register(registry)
        .increment();
    Timer.builder(MetricNames.REQUEST_LATENCY)
        .tags("method", method, "endpoint", endpoint, "region", region)
        .publishPercentileHistogram()
        .maximumExpectedValue(Duration.ofMinutes(10))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  public void retry(String region, String reason) {
    Counter.builder(MetricNames.RETRIES)
        .tags("region", region == null ? "none" : region, "reason", reason)
        .register(registry)
        .increment();
  }

  /** Gauges that read a region's live state; {@code breakerState} returns CLOSED/OPEN/HALF_OPEN. */
  public void region(
      String region,
      Supplier<String> breakerState,
      DoubleSupplier up,
      DoubleSupplier probeSeconds,
      DoubleSupplier requestsRemaining) {
    for (String state : BREAKER_STATES) {
      Gauge.builder(MetricNames.CIRCUIT_STATE, () -> state.equals(breakerState.get()) ? 1.0 : 0.0)
          .tags("region", region, "state", state)
          .register(registry);
    }
    Gauge.builder(MetricNames.REGION_UP, up, DoubleSupplier::getAsDouble)
        .tag("region", region)
        .register(registry);
    Gauge.builder(MetricNames.PROBE_LATENCY, probeSeconds, DoubleSupplier::getAsDouble)
        .tag("region", region)
        .register(registry);
    Gauge.builder(MetricNames.RATELIMIT_REMAINING, requestsRemaining, DoubleSupplier::getAsDouble)
        .tags("region", region, "kind", "requests")
        .register(registry);
  }

  public void tokens(long input, long output) {
    if (input > 0) {
      Counter.builder(MetricNames.TOKENS)
          .tag("direction", "input")
          .register(registry)
          .increment(input);
    }
    if (output > 0) {
      Counter.builder(MetricNames.TOKENS)
          .tag("direction", "output")
          .register(registry)
          .increment(output);
    }
  }

  public void streamInterrupted(String reason) {
    Counter.builder(MetricNames.STREAM_INTERRUPTED)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  public void overhead(long nanos) {
    Timer.builder(MetricNames.RELAY_OVERHEAD)
        .register(registry)
        .record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  public void cache(String result) {
    Counter.builder(MetricNames.CACHE_REQUESTS)
        .tag("result", result)
        .register(registry)
        .increment();
  }

  public void degraded(String level) {
    Counter.builder(MetricNames.DEGRADED).tag("level", level).register(registry).increment();
  }

  public void pendingTasks(DoubleSupplier count) {
    Gauge.builder(MetricNames.PENDING_TASKS, count, DoubleSupplier::getAsDouble).register(registry);
  }

  /**
   * Known paths as they are; anything else as "other", so a probing client cannot blow up labels.
   */
  static String endpoint(String path) {
    return KNOWN_ENDPOINTS.contains(path) ? path : "other";
  }
}
