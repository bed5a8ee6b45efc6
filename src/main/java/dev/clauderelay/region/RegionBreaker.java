package dev.clauderelay.region;

import dev.clauderelay.api.error.ApiException;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.api.error.ConnectionException;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * One region's Vert.x {@link CircuitBreaker}, fed with outcomes instead of wrapping calls: the
 * pipeline owns timeouts and retries, so the breaker's operation timeout is off ({@code -1}; its 10
 * s default would kill long generations and streams) and it never retries.
 *
 * <p>Outcomes are reported through {@link CircuitBreaker#execute} with an operation that is already
 * complete, the breaker's only public way to learn one. Vert.x semantics follow: in CLOSED a
 * failure is counted in the rolling window and {@code maxFailures} of them open the breaker; a
 * success clears the count (so it opens on a run of failures, not on a failure rate).
 *
 * <p>Only live traffic's outcomes while CLOSED count ({@link #recordSuccess}, {@link
 * #recordFailure}); the half-open trial belongs to the health probe ({@link #probeSucceeded},
 * {@link #probeFailed}). The router routes only to a CLOSED breaker, so an OPEN region whose reset
 * timeout passed (HALF_OPEN) still gets no user request until a probe succeeds; the reset timeout
 * is thus the least time a region stays out. After closing, {@link #rampWeight} brings traffic back
 * gradually.
 *
 * <p>Transitions are reported to listeners synchronously from inside the breaker's lock: listeners
 * must only hand the event on (e.g. {@code context.runOnContext}).
 */
public final class RegionBreaker {
  /** Told of each state change of the breaker. */
  @FunctionalInterface
  public interface Listener {
    void onTransition(CircuitBreakerState from, CircuitBreakerState to);
  }

  private static final long NEVER = Long.MIN_VALUE;

  private final CircuitBreaker breaker;
  private final LongSupplier clock;
  private final BreakerSettings settings;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile CircuitBreakerState last = CircuitBreakerState.CLOSED;
  private volatile long closedAtMs = NEVER;
  private volatile long openedAtMs = NEVER;

  /**
   * @param clock epoch milliseconds, for the ramp (the breaker's own window and reset timer use the
   *     system clock and Vert.x timers)
   */
  public RegionBreaker(Vertx vertx, String region, BreakerSettings settings, LongSupplier clock) {
    this.settings = settings;
    this.clock = clock;
    CircuitBreakerOptions options =
        new CircuitBreakerOptions()
            .setMaxFailures(settings.maxFailures())
            .setFailuresRollingWindow(settings.effectiveWindowMs())
            .setResetTimeout(settings.resetTimeoutMs())
            .setTimeout(-1)
            .setMaxRetries(0)
            .setFallbackOnFailure(false)
            // No periodic metrics publication per breaker: claude.health reports the changes.
            .setNotificationAddress(null);
    this.breaker =
        CircuitBreaker.create("region-" + region, vertx, options)
            .openHandler(v -> transition(CircuitBreakerState.OPEN))
            .halfOpenHandler(v -> transition(CircuitBreakerState.HALF_OPEN))
            .closeHandler(v -> transition(CircuitBreakerState.CLOSED));
  }

  /**
   * Whether {@code failure} is the region's fault: 5xx (529 included), connection failures and
   * timeouts of the attempt. A 429 or another 4xx is the caller's or the key's business, the call's
   * own deadline running out is not the region's fault, and neither touches the breaker.
   */
  public static boolean countsAsFailure(Throwable failure) {
    if (failure instanceof ApiException api) {
      return countsAsFailure(api.status());
    }
    if (failure instanceof ClaudeTimeoutException timeout) {
      return timeout.phase() != ClaudeTimeoutException.Phase.DEADLINE;
    }
    return failure instanceof ConnectionException;
  }

  /** Whether an answer with this status counts against the region: 5xx (529 included). */
  public static boolean countsAsFailure(int status) {
    return status >= 500;
  }

  // ---- live traffic ---------------------------------------------------------------------------

  /**
   * An attempt on this region succeeded (any answer that is not a breaker failure, except 429 and
   * other 4xx which should not be reported at all). Clears the failure count while CLOSED.
   *
   * @return completes once the breaker has taken it into account (Vert.x applies outcomes on a
   *     later turn of its context)
   */
  public Future<Void> recordSuccess() {
    // A success while CLOSED only clears the failure count: with none counted there is nothing to
    // clear, and reporting it would cost an operation and an event-loop task per call.
    if (state() != CircuitBreakerState.CLOSED || breaker.failureCount() == 0) {
      return Future.succeededFuture();
    }
    return breaker.<Void>execute(p -> p.complete()).otherwiseEmpty();
  }

  /**
   * An attempt on this region failed in a way that counts (see {@link #countsAsFailure}). Ignored
   * unless CLOSED: late outcomes of calls sent before the breaker opened must not take the probe's
   * half-open trial.
   *
   * @return completes once counted (and, at the threshold, once the breaker is OPEN)
   */
  public Future<Void> recordFailure() {
    if (state() != CircuitBreakerState.CLOSED) {
      return Future.succeededFuture();
    }
    return breaker.<Void>execute(p -> p.fail(new RegionFailure())).otherwiseEmpty();
  }

  /**
   * Reports an attempt's outcome: {@code null} is a success; a failure that {@link #countsAsFailure
   * counts} is a failure; any other (429, 4xx, deadline, pacing) is not reported.
   */
  public Future<Void> record(Throwable failureOrNull) {
    if (failureOrNull == null) {
      return recordSuccess();
    }
    return countsAsFailure(failureOrNull) ? recordFailure() : Future.succeededFuture();
  }

  // ---- health probe ---------------------------------------------------------------------------

  /**
   * A probe got a normal answer. Closes a HALF_OPEN breaker (reset timeout over), which starts the
   * ramp; an OPEN one waits for its reset timeout; a CLOSED one is left alone.
   */
  public Future<Void> probeSucceeded() {
    if (state() != CircuitBreakerState.HALF_OPEN) {
      return Future.succeededFuture();
    }
    return breaker.<Void>execute(p -> p.complete()).otherwiseEmpty();
  }

  /** A probe failed: a HALF_OPEN breaker opens again for another reset timeout. */
  public Future<Void> probeFailed() {
    if (state() != CircuitBreakerState.HALF_OPEN) {
      return Future.succeededFuture();
    }
    return breaker.<Void>execute(p -> p.fail(new RegionFailure())).otherwiseEmpty();
  }

  // ---- state ----------------------------------------------------------------------------------

  public CircuitBreakerState state() {
    return breaker.state();
  }

  /** Whether user traffic may go to the region: CLOSED only. */
  public boolean allowsTraffic() {
    return state() == CircuitBreakerState.CLOSED;
  }

  /** Failures counted in the current window. */
  public long failureCount() {
    return breaker.failureCount();
  }

  /**
   * The share of its normal traffic the region should get at {@code nowMs}: 0 unless CLOSED, then
   * rising linearly from 0 to 1 over {@code rampMs} after the last close; 1 if it never opened.
   */
  public double rampWeight(long nowMs) {
    if (state() != CircuitBreakerState.CLOSED) {
      return 0;
    }
    long closed = closedAtMs;
    long ramp = settings.rampMs();
    if (closed == NEVER || ramp <= 0 || nowMs - closed >= ramp) {
      return 1;
    }
    return Math.max(0, (double) (nowMs - closed) / ramp);
  }

  /** Epoch ms of the last transition to OPEN, or {@link Long#MIN_VALUE} if never. */
  public long openedAtMs() {
    return openedAtMs;
  }

  /** Epoch ms of the last transition back to CLOSED, or {@link Long#MIN_VALUE} if never. */
  public long closedAtMs() {
    return closedAtMs;
  }

  public BreakerSettings settings() {
    return settings;
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  public void removeListener(Listener listener) {
    listeners.remove(listener);
  }

  /** Releases the breaker's resources. */
  public void close() {
    breaker.close();
  }

  private void transition(CircuitBreakerState to) {
    CircuitBreakerState from = last;
    last = to;
    long now = clock.getAsLong();
    if (to == CircuitBreakerState.OPEN) {
      openedAtMs = now;
    } else if (to == CircuitBreakerState.CLOSED) {
      closedAtMs = now;
    }
    if (from != to) {
      for (Listener l : listeners) {
        l.onTransition(from, to);
      }
    }
  }

  /** The failure handed to the breaker; it is never seen outside. */
  private static final class RegionFailure extends RuntimeException {
    RegionFailure() {
      super("region failure", null, false, false);
    }
  }
}
