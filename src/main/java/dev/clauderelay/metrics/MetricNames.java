package dev.clauderelay.metrics;

/**
 * Meter names as Micrometer sees them; the Prometheus registry renders them as DESIGN.md's names
 * ({@code anthropic.requests} → {@code anthropic_requests_total}, timers get {@code _seconds}).
 * Names and labels are a public contract: dashboards and alerts rely on them.
 */
public final class MetricNames {
  private MetricNames() {}

  /** Counter {method, endpoint, status_code, region}: one per attempt's outcome. */
  public static final String REQUESTS = "anthropic.requests";

  /** Timer (histogram) {method, endpoint, region}: one attempt, send to complete answer. */
  public static final String REQUEST_LATENCY = "anthropic.request.latency";

  /** Counter {region, reason}: retries and failovers, by the failure that caused them. */
  public static final String RETRIES = "anthropic.retries";

  /** Gauge {region, state}: 1 for the breaker's current state, 0 for the others. */
  public static final String CIRCUIT_STATE = "anthropic.circuit.state";

  /** Gauge {region}: 1 when the region can take calls. */
  public static final String REGION_UP = "anthropic.region.up";

  /** Gauge {region}: duration of the last health probe, seconds. */
  public static final String PROBE_LATENCY = "anthropic.region.probe.latency.seconds";

  /** Gauge {region, kind}: requests the upstream says are left (summed over the keys). */
  public static final String RATELIMIT_REMAINING = "anthropic.ratelimit.remaining";

  /** Counter {result}: hit, stale, miss, bypass. */
  public static final String CACHE_REQUESTS = "anthropic.cache.requests";

  /** Counter {level}: cache, stale-cache, local-model, queued. */
  public static final String DEGRADED = "anthropic.degraded";

  /** Gauge: durable pending tasks waiting for replay. */
  public static final String PENDING_TASKS = "anthropic.pending.tasks";

  /** Counter {direction}: input and output tokens of successful messages. */
  public static final String TOKENS = "anthropic.tokens";

  /** Counter {reason}: streams cut after content (cut, stall, error_event, no_message_stop). */
  public static final String STREAM_INTERRUPTED = "anthropic.stream.interrupted";

  /** Timer: time spent in the relay itself per call (total minus upstream and chosen waits). */
  public static final String RELAY_OVERHEAD = "relay.overhead";
}
