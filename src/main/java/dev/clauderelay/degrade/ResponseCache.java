package dev.clauderelay.degrade;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.clauderelay.api.Message;
import dev.clauderelay.metrics.RelayMetrics;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;

/**
 * Complete answers to deterministic requests, kept in memory (Caffeine): fresh for {@code ttlMs},
 * then stale for {@code staleMs} more, bounded by {@code maxEntries}.
 *
 * <p>One Caffeine cache holds both: an entry expires at write + ttl + stale, and carries its write
 * time, so {@link #fresh} and {@link #stale} read the same entry and differ only in how old it may
 * be. A new answer for a key replaces the old one and makes it fresh again.
 *
 * <p>Only a finished message is stored ({@code stop_reason} set): never an error, never what an
 * interrupted stream left. Entries and returned messages are copies, so no caller can change what
 * another one gets. Thread-safe and non-blocking (Caffeine's maintenance runs on the calling
 * thread, which costs amortised O(1)): safe on an event loop.
 *
 * <p>Counts {@code anthropic_cache_requests_total{result}}: {@code hit} and {@code miss} from
 * {@link #fresh}, {@code stale} when {@link #stale} serves, {@code bypass} from {@link #decide}.
 */
public final class ResponseCache {
  private final CacheOptions options;
  private final Ticker ticker;
  private final RelayMetrics metrics;
  private final Cache<CacheKey, Entry> entries;
  private final long ttlNanos;

  private record Entry(JsonObject message, long storedAtNanos) {}

  public ResponseCache(CacheOptions options, RelayMetrics metrics) {
    this(options, Ticker.systemTicker(), metrics);
  }

  /**
   * @param ticker the time source (nanoseconds); tests pass a fake one instead of waiting
   * @param metrics where lookups are counted, or null
   */
  public ResponseCache(CacheOptions options, Ticker ticker, RelayMetrics metrics) {
    this.options = options;
    this.ticker = ticker;
    this.metrics = metrics;
    this.ttlNanos = Duration.ofMillis(options.ttlMs()).toNanos();
    this.entries =
        Caffeine.newBuilder()
            .maximumSize(options.maxEntries())
            .expireAfterWrite(Duration.ofMillis(options.ttlMs() + options.staleMs()))
            .ticker(ticker)
            // Eviction work on the calling thread, not the common pool: cheap, deterministic.
            .executor(Runnable::run)
            .build();
  }

  public CacheOptions options() {
    return options;
  }

  /**
   * Whether this request uses the cache ({@link Cacheability#decide}, and the cache being enabled).
   * A bypass is counted here, once per request.
   */
  public Cacheability decide(JsonObject request, String cacheHeader) {
    Cacheability c =
        options.enabled() ? Cacheability.decide(request, cacheHeader) : Cacheability.BYPASS;
    if (c == Cacheability.BYPASS) {
      count("bypass");
    }
    return c;
  }

  /** The stored answer while it is fresh; counts a hit or a miss. */
  public Optional<Message> fresh(CacheKey key) {
    Entry e = options.enabled() ? entries.getIfPresent(key) : null;
    if (e != null && ticker.read() - e.storedAtNanos() < ttlNanos) {
      count("hit");
      return Optional.of(new Message(e.message().copy()));
    }
    count("miss");
    return Optional.empty();
  }

  /**
   * The stored answer, fresh or past its TTL but within the stale window: for when every region
   * failed. Counts {@code stale} when it serves; a miss was already counted by {@link #fresh}.
   */
  public Optional<Message> stale(CacheKey key) {
    Entry e = options.enabled() ? entries.getIfPresent(key) : null;
    if (e == null) {
      return Optional.empty();
    }
    count("stale");
    return Optional.of(new Message(e.message().copy()));
  }

  /**
   * Stores a complete answer.
   *
   * @return false when refused: cache disabled, or not a finished message (no {@code stop_reason},
   *     or not {@code type: message})
   */
  public boolean put(CacheKey key, Message message) {
    if (!options.enabled() || !cacheable(message)) {
      return false;
    }
    entries.put(key, new Entry(message.toJson().copy(), ticker.read()));
    return true;
  }

  /** A finished message: {@code stop_reason} set, and not an error body. */
  public static boolean cacheable(Message message) {
    if (message == null || message.stopReason() == null) {
      return false;
    }
    String type = message.type();
    return type == null || type.equals("message");
  }

  public void invalidate(CacheKey key) {
    entries.invalidate(key);
  }

  public void invalidateAll() {
    entries.invalidateAll();
  }

  /** Entries held, fresh and stale (approximate until maintenance has run). */
  public long size() {
    entries.cleanUp();
    return entries.estimatedSize();
  }

  private void count(String result) {
    if (metrics != null) {
      metrics.cache(result);
    }
  }
}
