package dev.clauderelay.region;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Client-side pacing of one API key: callers ask for a permit before sending and get it when the
 * {@link TokenBucket} allows, in arrival order. Waiting is a Vert.x timer (one for the head of the
 * queue, one per waiter for its deadline); nothing spins or sleeps.
 *
 * <p>A call is refused at once with a {@link PacingException} when its permit would come after its
 * deadline (judged from the queue ahead of it and what the server has reported) or when {@code
 * maxQueued} calls are already waiting ({@code 0}: never queue). If the outlook worsens while it
 * waits (a response says the budget is gone), it fails when its deadline comes.
 *
 * <p>Thread-safe; each caller's future completes on the context it passed.
 */
public final class RatePacer {
  /** Calls that may wait for one key's permits. */
  public static final int DEFAULT_MAX_QUEUED = 1_000;

  private final String what;
  private final TokenBucket bucket;
  private final int maxQueued;
  private final LongSupplier clock;
  private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
  private long drainTimer = -1;
  private long drainAt = Long.MAX_VALUE;
  private Vertx drainVertx;

  private static final class Waiter {
    final Context ctx;
    final Promise<Void> promise = Promise.promise();
    long deadlineTimer = -1;

    Waiter(Context ctx) {
      this.ctx = ctx;
    }
  }

  /**
   * @param what who is paced, for errors: e.g. {@code region a, key sk-ant-…a1b2} (never the key)
   * @param maxQueued calls allowed to wait; 0 refuses any call without an immediate permit
   * @param clock epoch milliseconds
   */
  public RatePacer(String what, TokenBucket bucket, int maxQueued, LongSupplier clock) {
    if (maxQueued < 0) {
      throw new IllegalArgumentException("maxQueued must be >= 0, got " + maxQueued);
    }
    this.what = what;
    this.bucket = bucket;
    this.maxQueued = maxQueued;
    this.clock = clock;
  }

  /**
   * A permit to send one request with this key.
   *
   * @param ctx the caller's context: the future completes there, its timers run there
   * @param deadlineAtMs epoch ms after which the permit is useless (the call's deadline)
   * @return completes when the request may be sent; fails with {@link PacingException}
   */
  public Future<Void> acquire(Context ctx, long deadlineAtMs) {
    Waiter w;
    synchronized (this) {
      long now = clock.getAsLong();
      if (queue.isEmpty() && bucket.tryAcquire(now)) {
        return Future.succeededFuture();
      }
      int ahead = queue.size();
      if (ahead >= maxQueued) {
        return Future.failedFuture(
            new PacingException(
                PacingException.Reason.QUEUE_FULL,
                what,
                bucket.predictGrantAt(now, ahead) - now,
                ahead));
      }
      long at = bucket.predictGrantAt(now, ahead);
      if (at > deadlineAtMs) {
        return Future.failedFuture(
            new PacingException(PacingException.Reason.DEADLINE, what, at - now, ahead));
      }
      w = new Waiter(ctx);
      queue.addLast(w);
      Waiter waiter = w;
      w.deadlineTimer = ctx.owner().setTimer(Math.max(1, deadlineAtMs - now), id -> expire(waiter));
      scheduleDrain(ctx.owner(), now);
    }
    return w.promise.future();
  }

  /**
   * Feeds a response's {@code anthropic-ratelimit-*} headers (adaptive mode; ignored otherwise).
   *
   * @param headers names in lower case
   * @param sentAtMs when that request's permit was granted (epoch ms); permits granted later may
   *     still be unknown to the server. Pass -1 when unknown.
   * @param nowMs when the headers arrived
   */
  public void onResponseHeaders(Map<String, String> headers, long sentAtMs, long nowMs) {
    RateLimitHeaders parsed = RateLimitHeaders.parse(headers, nowMs);
    synchronized (this) {
      bucket.onHeaders(parsed, sentAtMs, nowMs);
      rearm(nowMs);
    }
  }

  /** {@link #onResponseHeaders(Map, long, long)} when the send time is unknown. */
  public void onResponseHeaders(Map<String, String> headers, long nowMs) {
    onResponseHeaders(headers, -1, nowMs);
  }

  /** No permit before {@code untilMs} (epoch ms): the key got a 429. */
  public void pauseUntil(long untilMs) {
    synchronized (this) {
      bucket.pauseUntil(untilMs);
      rearm(clock.getAsLong());
    }
  }

  /** Calls waiting now. */
  public synchronized int queued() {
    return queue.size();
  }

  /** Milliseconds until a call arriving now would get its permit (0: at once). */
  public synchronized long waitMs() {
    long now = clock.getAsLong();
    return bucket.predictGrantAt(now, queue.size()) - now;
  }

  /** Requests the server is believed to allow before its reset, -1 when it has not said. */
  public synchronized long serverRemaining() {
    return bucket.serverRemaining(clock.getAsLong());
  }

  @Override
  public String toString() {
    return "RatePacer{" + what + ", " + bucket.requestsPerMinute() + "/min}";
  }

  // ---- internals ------------------------------------------------------------------------------

  private void drain() {
    List<Waiter> granted = new ArrayList<>();
    synchronized (this) {
      drainTimer = -1;
      drainAt = Long.MAX_VALUE;
      long now = clock.getAsLong();
      while (!queue.isEmpty() && bucket.tryAcquire(now)) {
        granted.add(queue.pollFirst());
      }
      if (!queue.isEmpty()) {
        scheduleDrain(queue.peekFirst().ctx.owner(), now);
      }
    }
    // Outside the lock: completing runs the callers' code, which may ask for the next permit.
    for (Waiter w : granted) {
      w.ctx.owner().cancelTimer(w.deadlineTimer);
      onContext(w.ctx, () -> w.promise.tryComplete());
    }
  }

  private void expire(Waiter w) {
    PacingException failure;
    synchronized (this) {
      int position = 0;
      boolean found = false;
      for (Iterator<Waiter> it = queue.iterator(); it.hasNext(); position++) {
        if (it.next() == w) {
          it.remove();
          found = true;
          break;
        }
      }
      if (!found) {
        return;
      }
      long now = clock.getAsLong();
      failure =
          new PacingException(
              PacingException.Reason.DEADLINE,
              what,
              bucket.predictGrantAt(now, position) - now,
              queue.size());
    }
    onContext(w.ctx, () -> w.promise.tryFail(failure));
  }

  /** Arms the head-of-queue timer for the next permit, unless one is armed early enough. */
  private void scheduleDrain(Vertx vertx, long now) {
    long at = bucket.nextPermitAt(now);
    if (drainTimer >= 0) {
      if (drainAt <= at) {
        return;
      }
      drainVertx.cancelTimer(drainTimer);
    }
    drainVertx = vertx;
    drainAt = at;
    drainTimer = vertx.setTimer(Math.max(1, at - now), id -> drain());
  }

  /** After new facts: the head may be served earlier (or later: the armed timer then re-arms). */
  private void rearm(long now) {
    if (!queue.isEmpty()) {
      scheduleDrain(queue.peekFirst().ctx.owner(), now);
    }
  }

  private static void onContext(Context ctx, Runnable action) {
    if (Vertx.currentContext() == ctx) {
      action.run();
    } else {
      ctx.runOnContext(v -> action.run());
    }
  }
}
