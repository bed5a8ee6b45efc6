package dev.clauderelay.sim;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Fixed-window request and token limits per API key, as the {@code ratelimited} profile enforces
 * them. A window opens with a key's first request and lasts {@code windowMs}; the reset time is its
 * end. Fixed rather than sliding so that {@code anthropic-ratelimit-*-reset} is one exact instant a
 * client can wait for.
 */
final class SimRateLimiter {

  /** The outcome of one admission, with everything the rate-limit headers report. */
  record Decision(
      boolean allowed,
      int requestsLimit,
      int requestsRemaining,
      long tokensLimit,
      long tokensRemaining,
      long resetEpochMillis,
      long retryAfterSeconds) {}

  private static final class Window {
    long start;
    int requests;
    long tokens;
  }

  private static final int PRUNE_ABOVE_KEYS = 10_000;

  private final int requestLimit;
  private final long tokenLimit;
  private final long windowMs;
  private final LongSupplier clock;
  private final Map<String, Window> windows = new HashMap<>();

  /**
   * @param clock epoch milliseconds; injected so tests can move time
   */
  SimRateLimiter(int requestLimit, long tokenLimit, long windowMs, LongSupplier clock) {
    this.requestLimit = requestLimit;
    this.tokenLimit = tokenLimit;
    this.windowMs = windowMs;
    this.clock = clock;
  }

  /**
   * Counts one request of {@code tokens} tokens against {@code key} if the window has room. A
   * request larger than the whole token budget is let through when the window is empty, so that it
   * is not refused forever.
   */
  synchronized Decision acquire(String key, long tokens) {
    long now = clock.getAsLong();
    Window window = current(key, now);
    boolean fits =
        window.requests < requestLimit
            && (window.tokens + tokens <= tokenLimit || window.requests == 0);
    if (fits) {
      window.requests++;
      window.tokens += tokens;
    }
    return decision(fits, window, now);
  }

  /** The state of {@code key}'s window without counting a request. */
  synchronized Decision peek(String key) {
    long now = clock.getAsLong();
    return decision(true, current(key, now), now);
  }

  private Window current(String key, long now) {
    if (windows.size() > PRUNE_ABOVE_KEYS) {
      windows.values().removeIf(w -> now >= w.start + windowMs);
    }
    Window window = windows.computeIfAbsent(key, k -> new Window());
    if (window.requests == 0 && window.tokens == 0 || now >= window.start + windowMs) {
      window.start = now;
      window.requests = 0;
      window.tokens = 0;
    }
    return window;
  }

  private Decision decision(boolean allowed, Window window, long now) {
    long reset = window.start + windowMs;
    long waitMs = Math.max(0, reset - now);
    return new Decision(
        allowed,
        requestLimit,
        Math.max(0, requestLimit - window.requests),
        tokenLimit,
        Math.max(0, tokenLimit - window.tokens),
        reset,
        Math.max(1, (waitMs + 999) / 1000));
  }
}
