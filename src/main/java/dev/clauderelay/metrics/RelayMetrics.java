package dev.clauderelay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The relay's meters, defined in one place. Labels are low-cardinality by construction: region
 * names come from config, endpoints from a fixed set of paths, statuses from HTTP. Recording is
 * cheap enough for an event loop: each meter is looked up in the registry once (building its id,
 * sorting its tags and finding it costs more than recording) and kept here by its label values.
 */
public final class RelayMetrics {
  private static final List<String> BREAKER_STATES = List.of("CLOSED", "OPEN", "HALF_OPEN");
  private static final List<String> KNOWN_ENDPOINTS =
      List.of("/v1/messages", "/v1/messages/count_tokens", "/v1/models");

  private final MeterRegistry registry;

  /** Meters already registered, by their label values: the per-call recordings skip the lookup. */
  private final Map<AttemptKey, Counter> requests = new ConcurrentHashMap<>();

  private final Map<LatencyKey, Timer> latencies = new ConcurrentHashMap<>();
  private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
  private volatile Timer overhead;

  private record AttemptKey(String method, String endpoint, int status, String region) {}

  private record LatencyKey(String method, String endpoint, String region) {}

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
    requests
        .computeIfAbsent(
            new AttemptKey(method, endpoint, status, region),
            k ->
                Counter.builder(MetricNames.REQUESTS)
                    .tags(
                        "method", k.method(),
                        "endpoint", k.endpoint(),
                        "status_code", k.status() > 0 ? Integer.toString(k.status()) : "none",
                        "region", k.region())
                    .register(registry))
        .increment();
    latencies
        .computeIfAbsent(
            new LatencyKey(method, endpoint, region),
            k ->
                Timer.builder(MetricNames.REQUEST_LATENCY)
                    .tags("method", k.method(), "endpoint", k.endpoint(), "region", k.region())
                    .publishPercentileHistogram()
                    .maximumExpectedValue(Duration.ofMinutes(10))
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  public void retry(String region, String reason) {
    counter(MetricNames.RETRIES, "region", region == null ? "none" : region, "reason", reason)
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
      counter(MetricNames.TOKENS, "direction", "input").increment(input);
    }
    if (output > 0) {
      counter(MetricNames.TOKENS, "direction", "output").increment(output);
    }
  }

  public void streamInterrupted(String reason) {
    counter(MetricNames.STREAM_INTERRUPTED, "reason", reason).increment();
  }

  public void overhead(long nanos) {
    Timer timer = overhead;
    if (timer == null) {
      timer = Timer.builder(MetricNames.RELAY_OVERHEAD).register(registry);
      overhead = timer;
    }
    timer.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  public void cache(String result) {
    counter(MetricNames.CACHE_REQUESTS, "result", result).increment();
  }

  public void degraded(String level) {
    counter(MetricNames.DEGRADED, "level", level).increment();
  }

  /** The counter {@code name} with the tags {@code keyValues} (name, value, …), registered once. */
  private Counter counter(String name, String... keyValues) {
    String[] key = new String[keyValues.length + 1];
    key[0] = name;
    System.arraycopy(keyValues, 0, key, 1, keyValues.length);
    return counters.computeIfAbsent(
        List.of(key), k -> Counter.builder(name).tags(keyValues).register(registry));
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
