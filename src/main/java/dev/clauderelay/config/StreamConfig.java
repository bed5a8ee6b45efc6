package dev.clauderelay.config;

import io.vertx.core.json.JsonObject;

/**
 * Streamed (SSE) responses.
 *
 * @param idleTimeoutMs longest silence (no event, pings included) before a stream counts as
 *     stalled, milliseconds
 * @param resume whether a stream cut after its first content event is resumed instead of ended with
 *     a {@code StreamInterruptedException}
 */
public record StreamConfig(long idleTimeoutMs, boolean resume) {
  /** Milliseconds: well above the API's ping interval. */
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 90_000;

  public static final boolean DEFAULT_RESUME = false;

  static final Range IDLE_TIMEOUT_MS = Range.of(1, Range.DAY_MS);

  public StreamConfig {
    IDLE_TIMEOUT_MS.check("stream.idleTimeoutMs", idleTimeoutMs);
  }

  public static StreamConfig defaults() {
    return new StreamConfig(DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_RESUME);
  }

  static StreamConfig read(Section s) {
    return new StreamConfig(
        s.longIn("idleTimeoutMs", DEFAULT_IDLE_TIMEOUT_MS, IDLE_TIMEOUT_MS),
        s.bool("resume", DEFAULT_RESUME));
  }

  public JsonObject toSafeJson() {
    return new JsonObject().put("idleTimeoutMs", idleTimeoutMs).put("resume", resume);
  }

  @Override
  public String toString() {
    return "StreamConfig" + toSafeJson().encode();
  }
}
