package dev.clauderelay.region;

import java.util.ArrayDeque;

/**
 * The pacing arithmetic of one key, pure (time is an argument) and not thread-safe ({@link
 * RatePacer} guards it). A permit is granted at time {@code t} only when all of these allow it:
 *
 * <ol>
 *   <li><b>Rate.</b> A token bucket of {@code requestsPerMinute}, kept as GCRA (a "theoretical
 *       arrival time" in microseconds, so fractional intervals do not drift), holding at most
 *       {@code burst} permits. The default burst is 1: permits are spaced evenly, never bunched.
 *       That is the only size that stays under a limit enforced over a window shorter than a minute
 *       (Anthropic: "60 RPM may be enforced as 1 request per second") or over a fixed window that
 *       opens with the first request (the simulator): with a burst {@code b}, a fixed window can
 *       see {@code b - 1} requests more than its limit.
 *   <li><b>Explicit pauses</b> ({@link #pauseUntil}): after a 429, and when the response headers
 *       say a token budget ({@code tokens}, {@code input-tokens}, {@code output-tokens}) has 0
 *       left, until that budget's reset. Token costs per request are unknown here, so only "0 left"
 *       is acted on.
 *   <li><b>The server's request budget</b> (adaptive mode): after {@code
 *       anthropic-ratelimit-requests-remaining = R} and {@code -reset = T}, at most {@code R} more
 *       permits before {@code T}, minus the permits granted since the request was sent (still in
 *       flight, maybe not counted by the server yet). Each grant lowers the estimate; at 0 nothing
 *       is granted until {@code T}. A later response with a later reset (a new window, or a token
 *       bucket refilling) replaces the estimate; one with the same or an earlier reset can only
 *       lower it, so a response that arrives late with older figures cannot inflate it.
 *   <li><b>Spreading</b> the server's budget: with {@code E} permits left until {@code T} and the
 *       last grant at {@code g}, the next waits until {@code g + (T - g) / (E + 1)}, i.e. each
 *       permit waits at least its fair share of the time left. Permits are thus spread evenly up to
 *       the reset instead of spent in a burst followed by a long stop; when the configured rate is
 *       slower than that share (a plentiful budget), the rate alone decides.
 * </ol>
 *
 * <p>Once {@code T} passes the server's figures are forgotten and the rate alone rules until the
 * next response reports again.
 */
public final class TokenBucket {
  /** Permits that may be granted back to back after an idle period. */
  public static final int DEFAULT_BURST = 1;

  /**
   * How far back, at most, a granted permit may still be unseen by the server when a response's
   * headers arrive, milliseconds: a bound on the network round trip. Used when the caller does not
   * know when the request was sent, and as a cap for long requests.
   */
  static final long UNCOUNTED_MARGIN_MS = 1_000;

  private static final long NONE = Long.MIN_VALUE;

  private final int requestsPerMinute;
  private final int burst;
  private final boolean adaptive;
  private final long intervalUs;

  private long tatUs = NONE;
  private long lastGrantMs = NONE;
  private long blockedUntilMs;
  private long serverRemaining = -1;
  private long serverResetAtMs;
  private final ArrayDeque<Long> recentGrants;

  /**
   * @param requestsPerMinute the configured rate, at least 1
   * @param burst permits available at once after idling, at least 1
   * @param adaptive whether {@link #onHeaders} adjusts the pace
   */
  public TokenBucket(int requestsPerMinute, int burst, boolean adaptive) {
    if (requestsPerMinute < 1) {
      throw new IllegalArgumentException(
          "requestsPerMinute must be >= 1, got " + requestsPerMinute);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be >= 1, got " + burst);
    }
    this.requestsPerMinute = requestsPerMinute;
    this.burst = burst;
    this.adaptive = adaptive;
    // Rounded up: the pacer may be a hair slower than configured, never faster.
    this.intervalUs = (60_000_000L + requestsPerMinute - 1) / requestsPerMinute;
    this.recentGrants = new ArrayDeque<>();
  }

  private TokenBucket(TokenBucket o) {
    this.requestsPerMinute = o.requestsPerMinute;
    this.burst = o.burst;
    this.adaptive = o.adaptive;
    this.intervalUs = o.intervalUs;
    this.tatUs = o.tatUs;
    this.lastGrantMs = o.lastGrantMs;
    this.blockedUntilMs = o.blockedUntilMs;
    this.serverRemaining = o.serverRemaining;
    this.serverResetAtMs = o.serverResetAtMs;
    // Prediction never reads the history: leave it out of the copy.
    this.recentGrants = new ArrayDeque<>();
  }

  /** A copy for "what if" arithmetic, without the grant history. */
  public TokenBucket copy() {
    return new TokenBucket(this);
  }

  /** Takes a permit if one is available at {@code nowMs}. */
  public boolean tryAcquire(long nowMs) {
    if (nextPermitAt(nowMs) > nowMs) {
      return false;
    }
    grant(nowMs);
    return true;
  }

  /** The earliest time, at or after {@code nowMs}, at which {@link #tryAcquire} would succeed. */
  public long nextPermitAt(long nowMs) {
    long t = nowMs;
    // Each constraint only pushes t later, and passing the server's reset only removes one: a few
    // rounds reach the fixed point.
    for (int round = 0; round < 8; round++) {
      long before = t;
      t = Math.max(t, blockedUntilMs);
      if (tatUs != NONE) {
        t = Math.max(t, ceilDiv(tatUs - (burst - 1) * intervalUs, 1000));
      }
      if (serverKnownAt(t)) {
        if (serverRemaining <= 0) {
          t = Math.max(t, serverResetAtMs);
        } else if (lastGrantMs != NONE && lastGrantMs < serverResetAtMs) {
          t =
              Math.max(
                  t, lastGrantMs + ceilDiv(serverResetAtMs - lastGrantMs, serverRemaining + 1));
        }
      }
      if (t == before) {
        break;
      }
    }
    return t;
  }

  /**
   * When the permit {@code ahead} places behind the next one would be granted if nothing changes:
   * {@code ahead = 0} is {@link #nextPermitAt}; waiters are served first in, first out.
   */
  public long predictGrantAt(long nowMs, int ahead) {
    TokenBucket c = copy();
    long t = nowMs;
    for (int i = 0; i <= ahead; i++) {
      t = c.nextPermitAt(t);
      c.grant(t);
    }
    return t;
  }

  /**
   * Adjusts to a response's rate-limit headers (adaptive mode only).
   *
   * @param sentAtMs when the request that got this response was sent (its permit granted), or a
   *     negative number when unknown; permits granted after it may not be counted by the server yet
   * @param nowMs when the headers arrived
   */
  public void onHeaders(RateLimitHeaders h, long sentAtMs, long nowMs) {
    if (!adaptive) {
      return;
    }
    expire(nowMs);
    RateLimitHeaders.Limit req = h.requests();
    if (req != null && req.resetAtMs() > nowMs) {
      long since = Math.max(sentAtMs, nowMs - UNCOUNTED_MARGIN_MS);
      long uncounted = recentGrants.stream().filter(g -> g > since).count();
      long estimate = Math.max(0, req.remaining() - uncounted);
      if (serverRemaining < 0 || req.resetAtMs() > serverResetAtMs) {
        serverRemaining = estimate;
        serverResetAtMs = req.resetAtMs();
      } else {
        serverRemaining = Math.min(serverRemaining, estimate);
      }
    }
    for (RateLimitHeaders.Limit l : h.limits()) {
      if (!l.kind().equals("requests") && l.remaining() == 0 && l.resetAtMs() > nowMs) {
        blockedUntilMs = Math.max(blockedUntilMs, l.resetAtMs());
      }
    }
  }

  /** No permit before {@code untilMs} (a 429's retry-after or reset). */
  public void pauseUntil(long untilMs) {
    blockedUntilMs = Math.max(blockedUntilMs, untilMs);
  }

  /** The configured rate. */
  public int requestsPerMinute() {
    return requestsPerMinute;
  }

  public int burst() {
    return burst;
  }

  public boolean adaptive() {
    return adaptive;
  }

  /** Permits the server is believed to have left before {@link #serverResetAtMs()}; -1 unknown. */
  public long serverRemaining(long nowMs) {
    return serverKnownAt(nowMs) ? serverRemaining : -1;
  }

  public long serverResetAtMs() {
    return serverResetAtMs;
  }

  public long blockedUntilMs() {
    return blockedUntilMs;
  }

  private void grant(long nowMs) {
    long nowUs = nowMs * 1000;
    // A permit taken less than 1 ms after it became due is late only because time here is in
    // whole milliseconds: keep the fraction, or the pace would drift below the rate.
    tatUs = (tatUs == NONE ? nowUs : Math.max(tatUs, nowUs - 999)) + intervalUs;
    lastGrantMs = nowMs;
    if (serverKnownAt(nowMs)) {
      serverRemaining--;
    }
    recentGrants.addLast(nowMs);
    while (!recentGrants.isEmpty() && recentGrants.peekFirst() < nowMs - UNCOUNTED_MARGIN_MS) {
      recentGrants.removeFirst();
    }
  }

  private void expire(long nowMs) {
    if (serverRemaining >= 0 && nowMs >= serverResetAtMs) {
      serverRemaining = -1;
    }
  }

  private boolean serverKnownAt(long t) {
    return serverRemaining >= 0 && t < serverResetAtMs;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
