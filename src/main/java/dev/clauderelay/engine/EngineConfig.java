package dev.clauderelay.engine;

import java.util.List;

/**
 * What the engine needs: the regions and the policies. Adapters build it from their own options so
 * that no adapter touches the transport or the region internals.
 *
 * @param regions in preference order (the tie-breaker when latencies are equal)
 * @param anthropicVersion sent when the caller gives none
 * @param retry retries, backoff, retry-after cap, deadline
 * @param transport per-region HTTP client limits
 * @param streamIdleTimeoutMs longest upstream silence in a stream, milliseconds
 * @param pingsAreActivity whether pings reset the stream stall watchdog
 * @param streamResume whether a stream cut inside text is continued by a new request
 * @param breaker per-region circuit breaker
 * @param pacing per-key rate pacing
 * @param proxy an HTTP(S) proxy URL from config, or null (then HTTPS_PROXY/NO_PROXY apply)
 * @param caFile extra trusted CAs (PEM), or null; verification is always on
 */
public record EngineConfig(
    List<RegionSpec> regions,
    String anthropicVersion,
    Retry retry,
    Transport transport,
    long streamIdleTimeoutMs,
    boolean pingsAreActivity,
    boolean streamResume,
    Breaker breaker,
    Pacing pacing,
    String proxy,
    java.nio.file.Path caFile) {

  public EngineConfig {
    if (regions == null || regions.isEmpty()) {
      throw new IllegalArgumentException("at least one region is needed");
    }
    regions = List.copyOf(regions);
  }

  /** Retry policy figures, milliseconds. */
  public record Retry(
      int maxRetries,
      long initialBackoffMs,
      long maxBackoffMs,
      long maxRetryAfterMs,
      long deadlineMs) {}

  /** HTTP client limits, milliseconds. */
  public record Transport(
      long connectTimeoutMs,
      long responseTimeoutMs,
      long idleTimeoutMs,
      int maxConnections,
      int maxWaitQueue) {}

  /** Circuit breaker per region; {@code rampMs} is how long traffic takes to return. */
  public record Breaker(int maxFailures, long windowMs, long resetTimeoutMs, long rampMs) {}

  /**
   * Pacing per key. {@code requestsPerMinute} 0 means no fixed rate: only the upstream's rate-limit
   * headers pace (adaptive).
   */
  public record Pacing(int requestsPerMinute, boolean adaptive, int maxQueued) {}
}
