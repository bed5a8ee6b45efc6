package dev.clauderelay.engine;

import dev.clauderelay.api.error.ApiException;
import java.time.Duration;

/**
 * Turns a failed attempt into a plan: wait this long and retry, or stop and say why. Pure: time and
 * the random unit come in as arguments, so the whole policy is table-testable.
 */
public final class RetryPolicy {
  private final int maxRetries;
  private final Backoff backoff;
  private final long maxRetryAfterMs;
  private final long deadlineMs;

  /** A retry after {@code delayMs}, or a stop with a note for the final error. */
  public record Plan(boolean retry, long delayMs, String reason, String stopNote) {}

  public RetryPolicy(int maxRetries, Backoff backoff, long maxRetryAfterMs, long deadlineMs) {
    this.maxRetries = maxRetries;
    this.backoff = backoff;
    this.maxRetryAfterMs = maxRetryAfterMs;
    this.deadlineMs = deadlineMs;
  }

  public int maxRetries() {
    return maxRetries;
  }

  public long maxRetryAfterMs() {
    return maxRetryAfterMs;
  }

  public long deadlineMs() {
    return deadlineMs;
  }

  /**
   * @param failure the attempt's failure
   * @param retriesSoFar retries already made (0 after the first attempt failed)
   * @param nowMs current time
   * @param deadlineAtMs when the whole call must be over
   * @param unit uniform random in [0, 1) for the jitter
   */
  public Plan plan(
      Throwable failure, int retriesSoFar, long nowMs, long deadlineAtMs, double unit) {
    RetryDecision.Outcome outcome = RetryDecision.forFailure(failure);
    if (!outcome.retry()) {
      return new Plan(false, 0, outcome.reason(), null);
    }
    if (retriesSoFar >= maxRetries) {
      return new Plan(
          false,
          0,
          outcome.reason(),
          "gave up after "
              + (retriesSoFar + 1)
              + " attempts (retry.maxRetries="
              + maxRetries
              + ")");
    }
    Duration asked = failure instanceof ApiException api ? api.retryAfter() : null;
    long delay;
    if (asked != null) {
      long askedMs = asked.toMillis();
      if (askedMs > maxRetryAfterMs) {
        return new Plan(
            false,
            askedMs,
            outcome.reason(),
            "upstream asked to retry after "
                + askedMs
                + " ms, above retry.maxRetryAfterMs="
                + maxRetryAfterMs
                + ": not waiting");
      }
      delay = askedMs;
    } else {
      delay = backoff.delayMs(retriesSoFar, unit);
    }
    if (nowMs + delay > deadlineAtMs) {
      return new Plan(
          false,
          delay,
          outcome.reason(),
          "the next retry in "
              + delay
              + " ms would pass the call's deadline (retry.deadlineMs="
              + deadlineMs
              + ")");
    }
    return new Plan(true, delay, outcome.reason(), null);
  }
}
