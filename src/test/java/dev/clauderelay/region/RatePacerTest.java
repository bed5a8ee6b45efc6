package dev.clauderelay.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Vert.x side of pacing: timers, FIFO, bounds, contexts. Real clock, short intervals. */
class RatePacerTest {
  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    Await.result(vertx.close());
  }

  private static RatePacer pacer(int rpm, int maxQueued) {
    return new RatePacer(
        "test key", new TokenBucket(rpm, 1, true), maxQueued, System::currentTimeMillis);
  }

  /** Runs {@code action} on {@code ctx} and hands back the future it returns. */
  private static <T> Future<T> on(Context ctx, Supplier<Future<T>> action) {
    Promise<T> p = Promise.promise();
    ctx.runOnContext(v -> action.get().onComplete(p));
    return p.future();
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  @Test
  void firstPermitAtOnceTheNextAfterOneIntervalOnTheCallersContext() {
    RatePacer pacer = pacer(600, 10);
    Context ctx = vertx.getOrCreateContext();
    long[] times = new long[2];
    Context[] seenOn = new Context[1];
    long start = now();
    Await.result(
        on(
            ctx,
            () ->
                pacer
                    .acquire(ctx, now() + 5000)
                    .compose(
                        v -> {
                          times[0] = now();
                          return pacer.acquire(ctx, now() + 5000);
                        })
                    .map(
                        v -> {
                          times[1] = now();
                          seenOn[0] = Vertx.currentContext();
                          return null;
                        })));
    assertTrue(times[0] - start < 500, "first permit at once, took " + (times[0] - start));
    long gap = times[1] - times[0];
    assertTrue(gap >= 95 && gap < 1000, "second permit ~100 ms later, got " + gap);
    assertSame(ctx, seenOn[0]);
  }

  @Test
  void waitersAreServedFirstInFirstOut() {
    RatePacer pacer = pacer(1200, 10);
    Context ctx = vertx.getOrCreateContext();
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    Future<Void> all =
        on(
            ctx,
            () -> {
              List<Future<Void>> fs = new ArrayList<>();
              for (int i = 0; i < 5; i++) {
                int n = i;
                fs.add(pacer.acquire(ctx, now() + 5000).onSuccess(v -> order.add(n)));
              }
              return Future.all(fs).mapEmpty();
            });
    Await.result(all);
    assertEquals(List.of(0, 1, 2, 3, 4), order);
  }

  @Test
  void eachCallerCompletesOnItsOwnContext() {
    RatePacer pacer = pacer(1200, 10);
    Context a = vertx.getOrCreateContext();
    Context b = vertx.getOrCreateContext();
    List<Future<Context>> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      seen.add(on(a, () -> pacer.acquire(a, now() + 5000).map(v -> Vertx.currentContext())));
      seen.add(on(b, () -> pacer.acquire(b, now() + 5000).map(v -> Vertx.currentContext())));
    }
    for (int i = 0; i < seen.size(); i++) {
      assertSame(i % 2 == 0 ? a : b, Await.result(seen.get(i)));
    }
  }

  @Test
  void aFullQueueRefusesAtOnce() {
    RatePacer pacer = pacer(60, 2);
    Context ctx = vertx.getOrCreateContext();
    long start = now();
    Throwable refused =
        Await.failure(
            on(
                ctx,
                () -> {
                  pacer.acquire(ctx, now() + 60_000);
                  pacer.acquire(ctx, now() + 60_000);
                  pacer.acquire(ctx, now() + 60_000);
                  return pacer.acquire(ctx, now() + 60_000);
                }));
    assertTrue(now() - start < 500);
    PacingException e = assertInstanceOf(PacingException.class, refused);
    assertEquals(PacingException.Reason.QUEUE_FULL, e.reason());
    assertEquals(2, e.queued());
    assertEquals(2, pacer.queued());
    assertTrue(e.getMessage().contains("rateLimit.maxQueued"), e.getMessage());
  }

  @Test
  void maxQueuedZeroNeverQueues() {
    RatePacer pacer = pacer(60, 0);
    Context ctx = vertx.getOrCreateContext();
    Throwable refused =
        Await.failure(
            on(
                ctx,
                () -> {
                  pacer.acquire(ctx, now() + 60_000);
                  return pacer.acquire(ctx, now() + 60_000);
                }));
    assertEquals(
        PacingException.Reason.QUEUE_FULL,
        assertInstanceOf(PacingException.class, refused).reason());
  }

  @Test
  void aPermitBeyondTheDeadlineIsRefusedAtOnce() {
    RatePacer pacer = pacer(60, 10);
    Context ctx = vertx.getOrCreateContext();
    long start = now();
    Throwable refused =
        Await.failure(
            on(
                ctx,
                () -> {
                  pacer.acquire(ctx, now() + 60_000);
                  return pacer.acquire(ctx, now() + 500);
                }));
    assertTrue(now() - start < 300, "refused without waiting");
    PacingException e = assertInstanceOf(PacingException.class, refused);
    assertEquals(PacingException.Reason.DEADLINE, e.reason());
    assertTrue(e.waitMs() > 900 && e.waitMs() <= 1000, "wait " + e.waitMs());
    assertTrue(e.getMessage().contains("test key"), e.getMessage());
    assertEquals(0, pacer.queued());
  }

  @Test
  void aWaiterFailsAtItsDeadlineWhenTheBudgetRunsOutMeanwhile() {
    RatePacer pacer = pacer(600, 10);
    Context ctx = vertx.getOrCreateContext();
    long start = now();
    Throwable failed =
        Await.failure(
            on(
                ctx,
                () -> {
                  pacer.acquire(ctx, now() + 60_000);
                  Future<Void> waiting = pacer.acquire(ctx, now() + 300);
                  pacer.onResponseHeaders(
                      requests(0, now() + 10_000), now() - 1, now()); // budget gone
                  return waiting;
                }));
    long took = now() - start;
    assertTrue(took >= 280 && took < 2000, "failed at its deadline, took " + took);
    assertEquals(
        PacingException.Reason.DEADLINE, assertInstanceOf(PacingException.class, failed).reason());
    assertEquals(0, pacer.queued());
  }

  @Test
  void remainingZeroHoldsPermitsUntilTheReset() {
    RatePacer pacer = pacer(6000, 10);
    Context ctx = vertx.getOrCreateContext();
    long[] reset = new long[1];
    long granted =
        Await.result(
            on(
                ctx,
                () ->
                    pacer
                        .acquire(ctx, now() + 5000)
                        .compose(
                            v -> {
                              reset[0] = now() + 300;
                              pacer.onResponseHeaders(requests(0, reset[0]), now(), now());
                              assertEquals(0, pacer.serverRemaining());
                              return pacer.acquire(ctx, now() + 5000);
                            })
                        .map(v -> now())));
    assertTrue(granted >= reset[0], "granted " + (granted - reset[0]) + " ms after the reset");
    assertTrue(granted - reset[0] < 1000);
  }

  @Test
  void aPauseHoldsPermits() {
    RatePacer pacer = pacer(6000, 10);
    Context ctx = vertx.getOrCreateContext();
    long[] until = new long[1];
    long granted =
        Await.result(
            on(
                ctx,
                () ->
                    pacer
                        .acquire(ctx, now() + 5000)
                        .compose(
                            v -> {
                              until[0] = now() + 200;
                              pacer.pauseUntil(until[0]);
                              return pacer.acquire(ctx, now() + 5000);
                            })
                        .map(v -> now())));
    assertTrue(granted >= until[0]);
    assertFalse(pacer.toString().contains("sk-"), pacer.toString());
  }

  private static Map<String, String> requests(int remaining, long resetAtMs) {
    return Map.of(
        "anthropic-ratelimit-requests-remaining",
        Integer.toString(remaining),
        "anthropic-ratelimit-requests-reset",
        Instant.ofEpochMilli(resetAtMs).toString());
  }
}
