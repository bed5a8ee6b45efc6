package dev.clauderelay.region;

/**
 * Client-side pacing of each key of a region ({@code rateLimit.*} in the configuration).
 *
 * @param requestsPerMinute token-bucket rate per key, at least 1
 * @param burst permits a key may spend back to back after idling, at least 1 (see {@link
 *     TokenBucket} for why the default is 1)
 * @param adaptive whether {@code anthropic-ratelimit-*} response headers adjust the pace
 * @param maxQueued calls that may wait for one key's permits; 0 never queues
 */
public record PacingSettings(int requestsPerMinute, int burst, boolean adaptive, int maxQueued) {
  public static final int DEFAULT_REQUESTS_PER_MINUTE = 60;

  public PacingSettings {
    if (requestsPerMinute < 1) {
      throw new IllegalArgumentException(
          "rateLimit.requestsPerMinute must be >= 1, got " + requestsPerMinute);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("rateLimit burst must be >= 1, got " + burst);
    }
    if (maxQueued < 0) {
      throw new IllegalArgumentException("rateLimit.maxQueued must be >= 0, got " + maxQueued);
    }
  }

  /** 60 requests a minute, burst 1, adaptive, 1000 queued. */
  public static PacingSettings defaults() {
    return new PacingSettings(
        DEFAULT_REQUESTS_PER_MINUTE, TokenBucket.DEFAULT_BURST, true, RatePacer.DEFAULT_MAX_QUEUED);
  }

  /** A fresh bucket with these settings. */
  public TokenBucket newBucket() {
    return new TokenBucket(requestsPerMinute, burst, adaptive);
  }
}
