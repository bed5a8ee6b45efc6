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
 * @param degrade the degradation chain: cache, local model, pending tasks
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
    java.nio.file.Path caFile,
    Degrade degrade) {

  public EngineConfig {
    if (regions == null || regions.isEmpty()) {
      throw new IllegalArgumentException("at least one region is needed");
    }
    regions = List.copyOf(regions);
    degrade = degrade == null ? Degrade.NONE : degrade;
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

  /**
   * The degradation chain (docs/degrade.md). Each step is off when null / disabled.
   *
   * @param cacheEnabled whether answers to deterministic requests are cached
   * @param cacheTtlMs how long a cached answer is fresh, milliseconds
   * @param cacheMaxEntries answers kept
   * @param localModel the OpenAI-compatible fallback, or null
   * @param pendingDir directory of the durable pending-task store, or null for no queue
   * @param maxPendingTasks unfinished tasks kept before new ones are refused
   */
  public record Degrade(
      boolean cacheEnabled,
      long cacheTtlMs,
      long cacheMaxEntries,
      LocalModel localModel,
      java.nio.file.Path pendingDir,
      int maxPendingTasks) {
    /** Nothing: failures are reported as they are (the embedded client's default). */
    public static final Degrade NONE = new Degrade(false, 300_000, 10_000, null, null, 0);

    /** True when no step is on: the pipeline's failures go to the caller unchanged. */
    public boolean none() {
      return !cacheEnabled && localModel == null && pendingDir == null;
    }
  }

  /** An OpenAI-compatible endpoint; {@code apiKey} may be null. */
  public record LocalModel(String baseUrl, String model, String apiKey) {
    @Override
    public String toString() {
      return "LocalModel[baseUrl=" + baseUrl + ", model=" + model + "]";
    }
  }
}
