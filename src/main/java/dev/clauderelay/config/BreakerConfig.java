package dev.clauderelay.config;

import io.vertx.core.json.JsonObject;

/**
 * The per-region circuit breaker. Only 5xx, 529, timeouts and connection failures count; a 429
 * never opens it.
 *
 * @param maxFailures failures within {@code windowMs} that open the breaker
 * @param windowMs rolling window the failures are counted in, milliseconds
 * @param resetTimeoutMs how long an open breaker stays open before a half-open trial, milliseconds
 */
public record BreakerConfig(int maxFailures, long windowMs, long resetTimeoutMs) {
  public static final int DEFAULT_MAX_FAILURES = 5;

  /** Milliseconds. */
  public static final long DEFAULT_WINDOW_MS = 10_000;

  /** Milliseconds. */
  public static final long DEFAULT_RESET_TIMEOUT_MS = 30_000;

  static final Range MAX_FAILURES = Range.of(1, 1_000_000);
  static final Range DURATION_MS = Range.of(1, Range.DAY_MS);

  public BreakerConfig {
    MAX_FAILURES.checkInt("breaker.maxFailures", maxFailures);
    DURATION_MS.check("breaker.windowMs", windowMs);
    DURATION_MS.check("breaker.resetTimeoutMs", resetTimeoutMs);
  }

  public static BreakerConfig defaults() {
    return new BreakerConfig(DEFAULT_MAX_FAILURES, DEFAULT_WINDOW_MS, DEFAULT_RESET_TIMEOUT_MS);
  }

  static BreakerConfig read(Section s) {
    return new BreakerConfig(
        s.intIn("maxFailures", DEFAULT_MAX_FAILURES, MAX_FAILURES),
        s.longIn("windowMs", DEFAULT_WINDOW_MS, DURATION_MS),
        s.longIn("resetTimeoutMs", DEFAULT_RESET_TIMEOUT_MS, DURATION_MS));
  }

  public JsonObject toSafeJson() {
    return new JsonObject()
        .put("maxFailures", maxFailures)
        .put("windowMs", windowMs)
        .put("resetTimeoutMs", resetTimeoutMs);
  }

  @Override
  public String toString() {
    return "BreakerConfig" + toSafeJson().encode();
  }
}
