package dev.clauderelay.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.api.Message;
import dev.clauderelay.metrics.MetricNames;
import dev.clauderelay.metrics.RelayMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResponseCacheTest {
  private static final long TTL = 300_000;
  private static final long STALE = 3_600_000;

  private final FakeTicker ticker = new FakeTicker();
  private SimpleMeterRegistry registry;
  private ResponseCache cache;
  private final CacheKey key =
      CacheKey.of(new JsonObject().put("model", "m").put("temperature", 0).put("max_tokens", 5));

  @BeforeEach
  void setUp() {
    registry = new SimpleMeterRegistry();
    cache =
        new ResponseCache(
            new CacheOptions(true, TTL, STALE, 100), ticker, new RelayMetrics(registry));
  }

  @Test
  void freshWithinTtlThenOnlyStaleThenGone() {
    assertTrue(cache.put(key, Messages.text("hello")));
    ticker.advanceMs(TTL - 1);
    assertEquals("hello", cache.fresh(key).orElseThrow().text());

    ticker.advanceMs(1);
    assertTrue(cache.fresh(key).isEmpty(), "expired at the TTL");
    assertEquals("hello", cache.stale(key).orElseThrow().text(), "still served as stale");

    ticker.advanceMs(STALE - 1);
    assertTrue(cache.stale(key).isPresent());
    ticker.advanceMs(1);
    assertTrue(cache.stale(key).isEmpty(), "gone after the stale window");

    assertEquals(1, count("hit"));
    assertEquals(1, count("miss"));
    assertEquals(2, count("stale"));
  }

  @Test
  void aNewAnswerMakesTheEntryFreshAgain() {
    cache.put(key, Messages.text("old"));
    ticker.advanceMs(TTL + 10);
    assertTrue(cache.fresh(key).isEmpty());
    cache.put(key, Messages.text("new"));
    assertEquals("new", cache.fresh(key).orElseThrow().text());
  }

  @Test
  void onlyFinishedMessagesAreStored() {
    Message partial = new Message(Messages.text("cut").toJson().copy().put("stop_reason", null));
    Message error =
        new Message(
            new JsonObject()
                .put("type", "error")
                .put("stop_reason", "x")
                .put("error", new JsonObject().put("type", "overloaded_error")));
    assertFalse(cache.put(key, partial), "an interrupted stream leaves no stop_reason");
    assertFalse(cache.put(key, error));
    assertTrue(cache.fresh(key).isEmpty());
    assertTrue(cache.stale(key).isEmpty());
  }

  @Test
  void storedAndReturnedMessagesAreCopies() {
    Message original = Messages.text("mine");
    cache.put(key, original);
    original.toJson().put("stop_reason", "changed");
    Message first = cache.fresh(key).orElseThrow();
    first.toJson().getJsonArray("content").clear();
    Message second = cache.fresh(key).orElseThrow();
    assertEquals("end_turn", second.stopReason());
    assertEquals("mine", second.text());
  }

  @Test
  void boundedByMaxEntries() {
    ResponseCache small = new ResponseCache(new CacheOptions(true, TTL, STALE, 10), ticker, null);
    for (int i = 0; i < 200; i++) {
      small.put(CacheKey.of(new JsonObject().put("n", i)), Messages.text("t" + i));
    }
    assertTrue(small.size() <= 10, "size " + small.size());
  }

  @Test
  void decideCountsBypassAndRespectsDisabled() {
    JsonObject sampled = new JsonObject().put("temperature", 1);
    JsonObject deterministic = new JsonObject().put("temperature", 0);
    assertEquals(Cacheability.BYPASS, cache.decide(sampled, null));
    assertEquals(Cacheability.CACHE, cache.decide(deterministic, null));
    assertEquals(1, count("bypass"));

    ResponseCache off = new ResponseCache(new CacheOptions(false, TTL, STALE, 10), ticker, null);
    assertEquals(Cacheability.BYPASS, off.decide(deterministic, "on"));
    assertFalse(off.put(key, Messages.text("x")));
    assertTrue(off.fresh(key).isEmpty());
  }

  @Test
  void zeroStaleWindowKeepsNothingPastTheTtl() {
    ResponseCache noStale = new ResponseCache(new CacheOptions(true, TTL, 0, 10), ticker, null);
    noStale.put(key, Messages.text("x"));
    ticker.advanceMs(TTL);
    assertTrue(noStale.stale(key).isEmpty());
  }

  private double count(String result) {
    Counter c = registry.find(MetricNames.CACHE_REQUESTS).tag("result", result).counter();
    return c == null ? 0 : c.count();
  }
}
