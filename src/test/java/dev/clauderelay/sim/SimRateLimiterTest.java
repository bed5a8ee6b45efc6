package dev.clauderelay.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SimRateLimiterTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final SimRateLimiter limiter = new SimRateLimiter(2, 1_000, 60_000, now::get);

  @Test
  void deniesBeyondTheLimitUntilTheWindowResets() {
    assertEquals(1, limiter.acquire("k", 10).requestsRemaining());
    assertEquals(0, limiter.acquire("k", 10).requestsRemaining());
    now.addAndGet(59_500);
    SimRateLimiter.Decision denied = limiter.acquire("k", 10);
    assertFalse(denied.allowed());
    assertEquals(1, denied.retryAfterSeconds());
    assertEquals(1_060_000, denied.resetEpochMillis());
    now.addAndGet(500);
    SimRateLimiter.Decision fresh = limiter.acquire("k", 10);
    assertTrue(fresh.allowed());
    assertEquals(1, fresh.requestsRemaining());
    assertEquals(1_120_000, fresh.resetEpochMillis());
  }

  @Test
  void retryAfterRoundsUpToWholeSeconds() {
    limiter.acquire("k", 1);
    limiter.acquire("k", 1);
    now.addAndGet(1_200);
    assertEquals(59, limiter.acquire("k", 1).retryAfterSeconds());
  }

  @Test
  void tokensAreLimitedToo() {
    assertTrue(limiter.acquire("k", 900).allowed());
    SimRateLimiter.Decision denied = limiter.acquire("k", 200);
    assertFalse(denied.allowed());
    assertEquals(100, denied.tokensRemaining());
  }

  @Test
  void aRequestLargerThanTheBudgetPassesInAnEmptyWindow() {
    SimRateLimiter.Decision big = limiter.acquire("k", 5_000);
    assertTrue(big.allowed());
    assertEquals(0, big.tokensRemaining());
  }

  @Test
  void keysHaveSeparateWindowsAndPeekDoesNotSpend() {
    limiter.acquire("a", 1);
    limiter.acquire("a", 1);
    assertFalse(limiter.acquire("a", 1).allowed());
    assertEquals(2, limiter.peek("b").requestsRemaining());
    assertEquals(2, limiter.peek("b").requestsRemaining());
    assertTrue(limiter.acquire("b", 1).allowed());
  }
}
