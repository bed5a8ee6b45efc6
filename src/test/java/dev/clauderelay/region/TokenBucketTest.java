package dev.clauderelay.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TokenBucketTest {
  /** An epoch time not on a whole second, like any real "now". */
  private static final long T0 = 1_700_000_000_123L;

  /**
   * Rows: rpm, burst, and the times (ms after T0) at which a greedy client gets its permits when it
   * asks for one at every millisecond.
   */
  static Stream<Arguments> rateRows() {
    return Stream.of(
        Arguments.of(60, 1, List.of(0L, 1000L, 2000L, 3000L)),
        Arguments.of(600, 1, List.of(0L, 100L, 200L, 300L)),
        Arguments.of(60, 3, List.of(0L, 0L, 0L, 1000L, 2000L)),
        // 60000/7 = 8571.43 ms: rounded up per permit, the pace never exceeds the rate.
        Arguments.of(7, 1, List.of(0L, 8572L, 17143L, 25715L)),
        Arguments.of(1, 1, List.of(0L, 60000L)));
  }

  @ParameterizedTest(name = "{0}/min burst {1}")
  @MethodSource("rateRows")
  void greedyClientGetsPermitsAtTheRate(int rpm, int burst, List<Long> expected) {
    TokenBucket b = new TokenBucket(rpm, burst, true);
    List<Long> got = new ArrayList<>();
    long t = T0;
    while (got.size() < expected.size()) {
      long at = b.nextPermitAt(t);
      assertFalse(at > t && b.tryAcquire(at - 1), "nextPermitAt must be the earliest time");
      assertTrue(b.tryAcquire(at), "tryAcquire must succeed at nextPermitAt");
      got.add(at - T0);
      t = at;
    }
    assertEquals(expected, got);
  }

  @Test
  void idleRefillsOnlyUpToTheBurst() {
    TokenBucket b = new TokenBucket(60, 2, true);
    assertTrue(b.tryAcquire(T0));
    long later = T0 + 3_600_000;
    assertTrue(b.tryAcquire(later));
    assertTrue(b.tryAcquire(later));
    assertFalse(b.tryAcquire(later));
    assertEquals(later + 1000, b.nextPermitAt(later));
  }

  /**
   * Rows: a sequence of events and the expected next permit time (ms after T0). Events: {@code g@t}
   * grant at t, {@code h@t:remaining:resetAfterT0[:sentAt]} request headers arriving at t, {@code
   * tok@t:remaining:resetAfterT0} a tokens budget, {@code p@t:until} a pause.
   */
  static Stream<Arguments> adaptiveRows() {
    return Stream.of(
        Arguments.of("no headers: rate only", 600, true, "g@0", 100L),
        Arguments.of("remaining 0: nothing until the reset", 600, true, "g@0 h@5:0:5000:0", 5000L),
        Arguments.of("plentiful budget: the rate decides", 600, true, "g@0 h@5:1000:60000:0", 100L),
        Arguments.of(
            "scarce budget is spread: (T-g)/(E+1) after the last grant",
            600,
            true,
            "g@0 h@5:4:1500:0",
            300L),
        Arguments.of(
            "permits sent after the request may be uncounted",
            600,
            true,
            "g@0 g@100 g@200 h@250:2:10000:0",
            10000L),
        Arguments.of(
            "without a send time, the last second's grants are assumed uncounted",
            600,
            true,
            "g@0 g@100 g@200 h@250:3:10000",
            10000L),
        Arguments.of(
            "late response with older figures cannot raise the estimate",
            600,
            true,
            "g@0 g@100 h@150:0:3000:100 h@160:5:3000:0",
            3000L),
        Arguments.of(
            "a later reset (new window) replaces the estimate",
            600,
            true,
            "g@0 h@5:0:3000:0 h@10:500:9000:5",
            100L),
        Arguments.of(
            "after the reset the server figures are forgotten",
            600,
            true,
            "g@0 h@5:0:3000:0 g@3000",
            3100L),
        Arguments.of(
            "tokens remaining 0 blocks until the tokens reset",
            600,
            true,
            "g@0 tok@5:0:7000",
            7000L),
        Arguments.of("tokens left: no block", 600, true, "g@0 tok@5:1000:7000", 100L),
        Arguments.of(
            "not adaptive: headers ignored", 600, false, "g@0 h@5:0:5000:0 tok@6:0:9000", 100L),
        Arguments.of("pause after a 429", 600, true, "g@0 p@5:4000", 4000L),
        Arguments.of("pause applies when not adaptive", 600, false, "g@0 p@5:4000", 4000L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("adaptiveRows")
  void adaptsToHeaders(String name, int rpm, boolean adaptive, String events, long expected) {
    TokenBucket b = new TokenBucket(rpm, 1, adaptive);
    long last = T0;
    for (String e : events.split(" ")) {
      String kind = e.substring(0, e.indexOf('@'));
      String[] f = e.substring(e.indexOf('@') + 1).split(":");
      long at = T0 + Long.parseLong(f[0]);
      last = at;
      switch (kind) {
        case "g" -> assertTrue(b.tryAcquire(at), name + ": grant at " + f[0]);
        case "h" ->
            b.onHeaders(
                RateLimitHeaders.parse(headers("requests", f[1], T0 + Long.parseLong(f[2])), at),
                f.length > 3 ? T0 + Long.parseLong(f[3]) : -1,
                at);
        case "tok" ->
            b.onHeaders(
                RateLimitHeaders.parse(headers("tokens", f[1], T0 + Long.parseLong(f[2])), at),
                -1,
                at);
        case "p" -> b.pauseUntil(T0 + Long.parseLong(f[1]));
        default -> throw new IllegalArgumentException(e);
      }
    }
    assertEquals(expected, b.nextPermitAt(last) - T0, name);
  }

  @Test
  void spreadingKeepsEveryPermitBeforeTheReset() {
    TokenBucket b = new TokenBucket(6000, 1, true);
    assertTrue(b.tryAcquire(T0));
    b.onHeaders(RateLimitHeaders.parse(headers("requests", "4", T0 + 1000), T0 + 1), T0, T0 + 1);
    List<Long> grants = new ArrayList<>();
    long t = T0 + 1;
    for (int i = 0; i < 5; i++) {
      t = b.nextPermitAt(t);
      assertTrue(b.tryAcquire(t));
      grants.add(t - T0);
    }
    // 4 left until 1000: spaced 200 ms apart, then nothing before the reset.
    assertEquals(List.of(200L, 400L, 600L, 800L, 1000L), grants);
  }

  @Test
  void predictionMatchesWhatFifoWaitersGet() {
    TokenBucket b = new TokenBucket(600, 1, true);
    assertTrue(b.tryAcquire(T0));
    b.onHeaders(RateLimitHeaders.parse(headers("requests", "2", T0 + 2000), T0 + 5), T0, T0 + 5);
    long now = T0 + 10;
    List<Long> predicted = new ArrayList<>();
    for (int ahead = 0; ahead < 4; ahead++) {
      predicted.add(b.predictGrantAt(now, ahead) - T0);
    }
    List<Long> actual = new ArrayList<>();
    long t = now;
    for (int i = 0; i < 4; i++) {
      t = b.nextPermitAt(t);
      assertTrue(b.tryAcquire(t));
      actual.add(t - T0);
    }
    assertEquals(actual, predicted);
    // 2 left before 2000, spread at (2000-0)/3 and then (2000-667)/2; then the new window.
    assertEquals(List.of(667L, 1334L, 2000L, 2100L), actual);
  }

  static Stream<Arguments> fixedWindowRows() {
    // limit per window, window ms, max one-way latency ms, seed
    return Stream.of(
        Arguments.of(5, 1000, 20, 1L),
        Arguments.of(5, 1000, 20, 2L),
        Arguments.of(10, 2000, 150, 3L),
        Arguments.of(30, 60_000, 300, 4L),
        Arguments.of(1, 1000, 5, 5L));
  }

  /**
   * A client offering twice the allowed rate, through this pacer, to a server with the simulator's
   * fixed window (opened by the first request, reset rounded up to a second in the headers) and
   * random network latency: never a rejection, and every request gets through.
   */
  @ParameterizedTest(name = "{0} per {1} ms, latency up to {2} ms, seed {3}")
  @MethodSource("fixedWindowRows")
  void twiceTheRateAgainstAFixedWindowSeesNo429(int limit, long windowMs, int jitter, long seed) {
    int rpm = (int) (limit * 60_000L / windowMs);
    FixedWindowRun run = new FixedWindowRun(limit, windowMs, jitter, seed);
    int total = limit * 4;
    run.run(new TokenBucket(rpm, 1, true), total, windowMs / limit / 2);
    assertEquals(0, run.rejected, "rejections");
    assertEquals(total, run.accepted, "accepted");
  }

  @Test
  void withoutHeadersAFixedWindowRejectsSomeAtTheBoundary() {
    // Why adaptive mode exists: at exactly the rate, jitter puts window boundaries in the way.
    FixedWindowRun run = new FixedWindowRun(5, 1000, 20, 7L);
    run.run(new TokenBucket(300, 1, false), 100, 100);
    assertTrue(run.rejected > 0, "expected some rejections, got none");
  }

  /** A discrete-time simulation of a pacer client and a fixed-window server. */
  private static final class FixedWindowRun {
    final int limit;
    final long windowMs;
    final java.util.Random random;
    final int jitter;
    int accepted;
    int rejected;
    long windowStart = -1;
    int count;

    FixedWindowRun(int limit, long windowMs, int jitter, long seed) {
      this.limit = limit;
      this.windowMs = windowMs;
      this.jitter = jitter;
      this.random = new java.util.Random(seed);
    }

    record Arrival(long at, long sentAt) {}

    record Reply(long at, long sentAt, Map<String, String> headers) {}

    void run(TokenBucket bucket, int total, long offerEveryMs) {
      int offered = 0;
      int waiting = 0;
      List<Arrival> arrivals = new ArrayList<>();
      List<Reply> replies = new ArrayList<>();
      for (long t = T0; accepted + rejected < total && t < T0 + 3_600_000; t++) {
        if (offered < total && (t - T0) % offerEveryMs == 0) {
          offered++;
          waiting++;
        }
        for (var it = replies.iterator(); it.hasNext(); ) {
          Reply r = it.next();
          if (r.at() <= t) {
            bucket.onHeaders(RateLimitHeaders.parse(r.headers(), t), r.sentAt(), t);
            it.remove();
          }
        }
        while (waiting > 0 && bucket.tryAcquire(t)) {
          waiting--;
          arrivals.add(new Arrival(t + random.nextInt(jitter + 1), t));
        }
        arrivals.sort((a, b) -> Long.compare(a.at(), b.at()));
        for (var it = arrivals.iterator(); it.hasNext(); ) {
          Arrival a = it.next();
          if (a.at() > t) {
            break;
          }
          it.remove();
          Map<String, String> h = admit(t);
          replies.add(new Reply(t + random.nextInt(jitter + 1), a.sentAt(), h));
        }
      }
    }

    /** The simulator's rule: a window opens with the first request and lasts windowMs. */
    Map<String, String> admit(long t) {
      if (count == 0 || t >= windowStart + windowMs) {
        windowStart = t;
        count = 0;
      }
      if (count < limit) {
        count++;
        accepted++;
      } else {
        rejected++;
      }
      long reset = (windowStart + windowMs + 999) / 1000 * 1000;
      return headers("requests", Integer.toString(limit - count), reset);
    }
  }

  private static Map<String, String> headers(String kind, String remaining, long resetAtMs) {
    Map<String, String> h = new HashMap<>();
    h.put("anthropic-ratelimit-" + kind + "-remaining", remaining);
    h.put("anthropic-ratelimit-" + kind + "-reset", Instant.ofEpochMilli(resetAtMs).toString());
    return h;
  }
}
