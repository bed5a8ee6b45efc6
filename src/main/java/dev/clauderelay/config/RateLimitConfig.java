package dev.clauderelay.config;

import io.vertx.core.json.JsonObject;

/**
 * Client-side pacing, so that a well-paced relay never sees a 429.
 *
 * @param requestsPerMinute token-bucket rate per key
 * @param adaptive whether {@code anthropic-ratelimit-*} response headers adjust the rate
 * @param maxQueued calls waiting for a permit before new ones fail with a rate-limit error; 0 never
 *     queues
 */
public record RateLimitConfig(int requestsPerMinute, boolean adaptive, int maxQueued) {
  public static final int DEFAULT_REQUESTS_PER_MINUTE = 60;
  public static final boolean DEFAULT_ADAPTIVE = true;
  public static final int DEFAULT_MAX_QUEUED = 1_000;

  static final Range REQUESTS_PER_MINUTE = Range.of(1, 1_000_000);
  static final Range MAX_QUEUED = Range.of(0, 10_000_000);

  public RateLimitConfig {
    REQUESTS_PER_MINUTE.checkInt("rateLimit.requestsPerMinute", requestsPerMinute);
    MAX_QUEUED.checkInt("rateLimit.maxQueued", maxQueued);
  }

  public static RateLimitConfig defaults() {
    return new RateLimitConfig(DEFAULT_REQUESTS_PER_MINUTE, DEFAULT_ADAPTIVE, DEFAULT_MAX_QUEUED);
  }

  static RateLimitConfig read(Section s) {
    return new RateLimitConfig(
        s.intIn("requestsPerMinute", DEFAULT_REQUESTS_PER_MINUTE, REQUESTS_PER_MINUTE),
        s.bool("adaptive", DEFAULT_ADAPTIVE),
        s.intIn("maxQueued", DEFAULT_MAX_QUEUED, MAX_QUEUED));
  }

  public JsonObject toSafeJson() {
    return new JsonObject()
        .put("requestsPerMinute", requestsPerMinute)
        .put("adaptive", adaptive)
        .put("maxQueued", maxQueued);
  }

  @Override
  public String toString() {
    return "RateLimitConfig" + toSafeJson().encode();
  }
}
