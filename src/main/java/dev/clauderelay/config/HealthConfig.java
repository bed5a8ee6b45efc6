package dev.clauderelay.config;

import io.vertx.core.json.JsonObject;

/**
 * Health probes of each region ({@code GET /v1/models}, which costs no tokens).
 *
 * @param intervalMs time between two probes of a region, milliseconds; at least 100 so that probes
 *     cannot flood an upstream
 * @param timeoutMs limit of one probe, milliseconds
 */
public record HealthConfig(long intervalMs, long timeoutMs) {
  /** Milliseconds. */
  public static final long DEFAULT_INTERVAL_MS = 10_000;

  /** Milliseconds. */
  public static final long DEFAULT_TIMEOUT_MS = 3_000;

  static final Range INTERVAL_MS = Range.of(100, Range.DAY_MS);
  static final Range TIMEOUT_MS = Range.of(1, 600_000);

  public HealthConfig {
    INTERVAL_MS.check("health.intervalMs", intervalMs);
    TIMEOUT_MS.check("health.timeoutMs", timeoutMs);
  }

  public static HealthConfig defaults() {
    return new HealthConfig(DEFAULT_INTERVAL_MS, DEFAULT_TIMEOUT_MS);
  }

  static HealthConfig read(Section s) {
    return new HealthConfig(
        s.longIn("intervalMs", DEFAULT_INTERVAL_MS, INTERVAL_MS),
        s.longIn("timeoutMs", DEFAULT_TIMEOUT_MS, TIMEOUT_MS));
  }

  public JsonObject toSafeJson() {
    return new JsonObject().put("intervalMs", intervalMs).put("timeoutMs", timeoutMs);
  }

  @Override
  public String toString() {
    return "HealthConfig" + toSafeJson().encode();
  }
}
