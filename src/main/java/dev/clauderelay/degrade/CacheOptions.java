package dev.clauderelay.degrade;

/**
 * The response cache's limits.
 *
 * @param enabled false turns every lookup into a bypass and every store into a no-op
 * @param ttlMs how long an entry is fresh, milliseconds ({@code cache.ttlMs})
 * @param staleMs how long an entry is kept after it stops being fresh, milliseconds, to be served
 *     as stale cache when every region fails; 0 keeps nothing stale
 * @param maxEntries entries kept, fresh and stale together ({@code cache.maxEntries}); beyond it
 *     the least valuable go first (Caffeine's W-TinyLFU)
 */
public record CacheOptions(boolean enabled, long ttlMs, long staleMs, long maxEntries) {
  /** Milliseconds: 5 minutes, as {@code cache.ttlMs}. */
  public static final long DEFAULT_TTL_MS = 300_000;

  /**
   * Milliseconds: 24 hours. Long on purpose: a stale answer is served only when nothing else can
   * answer, marked {@code x-relay-degraded: stale-cache}, and memory stays bounded by {@code
   * maxEntries} whatever the window.
   */
  public static final long DEFAULT_STALE_MS = 86_400_000;

  public static final long DEFAULT_MAX_ENTRIES = 10_000;

  public CacheOptions {
    if (ttlMs <= 0) {
      throw new IllegalArgumentException("cache ttlMs must be positive: " + ttlMs);
    }
    if (staleMs < 0) {
      throw new IllegalArgumentException("cache staleMs must not be negative: " + staleMs);
    }
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("cache maxEntries must be positive: " + maxEntries);
    }
  }

  public static CacheOptions defaults() {
    return new CacheOptions(true, DEFAULT_TTL_MS, DEFAULT_STALE_MS, DEFAULT_MAX_ENTRIES);
  }

  /** The config's {@code cache:} section, with the default stale window. */
  public static CacheOptions of(boolean enabled, long ttlMs, long maxEntries) {
    return new CacheOptions(enabled, ttlMs, DEFAULT_STALE_MS, maxEntries);
  }
}
