package dev.clauderelay.region;

/**
 * The per-region circuit breaker's limits ({@code breaker.*} in the configuration, plus the ramp).
 *
 * @param maxFailures failures within {@code windowMs} that open the breaker, at least 1
 * @param windowMs rolling window the failures are counted in, milliseconds. Vert.x counts it in
 *     whole seconds: it is rounded up to a multiple of 1000, at least 1000.
 * @param resetTimeoutMs how long an open breaker stays open before the health probe may try it
 *     (half-open), milliseconds
 * @param rampMs after closing, how long traffic takes to come back to its full share, milliseconds;
 *     0 returns it at once
 */
public record BreakerSettings(int maxFailures, long windowMs, long resetTimeoutMs, long rampMs) {
  public static final int DEFAULT_MAX_FAILURES = 5;

  /** Milliseconds. */
  public static final long DEFAULT_WINDOW_MS = 10_000;

  /** Milliseconds. */
  public static final long DEFAULT_RESET_TIMEOUT_MS = 30_000;

  /** Milliseconds. */
  public static final long DEFAULT_RAMP_MS = 30_000;

  public BreakerSettings {
    if (maxFailures < 1) {
      throw new IllegalArgumentException("breaker.maxFailures must be >= 1, got " + maxFailures);
    }
    if (windowMs < 1) {
      throw new IllegalArgumentException("breaker.windowMs must be >= 1, got " + windowMs);
    }
    if (resetTimeoutMs < 1) {
      throw new IllegalArgumentException(
          "breaker.resetTimeoutMs must be >= 1, got " + resetTimeoutMs);
    }
    if (rampMs < 0) {
      throw new IllegalArgumentException("breaker.rampMs must be >= 0, got " + rampMs);
    }
  }

  public static BreakerSettings defaults() {
    return new BreakerSettings(
        DEFAULT_MAX_FAILURES, DEFAULT_WINDOW_MS, DEFAULT_RESET_TIMEOUT_MS, DEFAULT_RAMP_MS);
  }

  /** The window as Vert.x will count it: whole seconds, at least one. */
  long effectiveWindowMs() {
    return Math.max(1, (windowMs + 999) / 1000) * 1000;
  }
}
