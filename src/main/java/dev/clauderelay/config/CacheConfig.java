package dev.clauderelay.config;

import io.vertx.core.json.JsonObject;

/**
 * The response cache: first step of the degradation chain, and a saving for repeated requests.
 *
 * @param enabled whether responses are cached at all
 * @param ttlMs how long an entry is fresh, milliseconds; after that it is served only as stale
 *     cache when every region fails
 * @param maxEntries entries kept; the least recently used go first
 */
public record CacheConfig(boolean enabled, long ttlMs, int maxEntries) {
  public static final boolean DEFAULT_ENABLED = true;

  /** Milliseconds: 5 minutes. */
  public static final long DEFAULT_TTL_MS = 300_000;

  public static final int DEFAULT_MAX_ENTRIES = 10_000;

  static final Range TTL_MS = Range.of(1, 365 * Range.DAY_MS);
  static final Range MAX_ENTRIES = Range.of(1, 100_000_000);

  public CacheConfig {
    TTL_MS.check("cache.ttlMs", ttlMs);
    MAX_ENTRIES.checkInt("cache.maxEntries", maxEntries);
  }

  public static CacheConfig defaults() {
    return new CacheConfig(DEFAULT_ENABLED, DEFAULT_TTL_MS, DEFAULT_MAX_ENTRIES);
  }

  static CacheConfig read(Section s) {
    return new CacheConfig(
        s.bool("enabled", DEFAULT_ENABLED),
        s.longIn("ttlMs", DEFAULT_TTL_MS, TTL_MS),
        s.intIn("maxEntries", DEFAULT_MAX_ENTRIES, MAX_ENTRIES));
  }

  public JsonObject toSafeJson() {
    return new JsonObject()
        .put("enabled", enabled)
        .put("ttlMs", ttlMs)
        .put("maxEntries", maxEntries);
  }

  @Override
  public String toString() {
    return "CacheConfig" + toSafeJson().encode();
  }
}
