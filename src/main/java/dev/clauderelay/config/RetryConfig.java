package dev.clauderelay.config;

import io.vertx.core.json.JsonObject;

/**
 * When and how long the pipeline retries. Ranges match {@code ClaudeClientOptions}, so every valid
 * configuration makes valid client options.
 *
 * @param maxRetries retries after the first attempt (so {@code maxRetries + 1} attempts)
 * @param initialBackoffMs first backoff step, milliseconds; 0 retries at once (tests)
 * @param maxBackoffMs largest backoff step, milliseconds; at least {@code initialBackoffMs}
 * @param maxRetryAfterMs longest {@code retry-after} slept on, milliseconds; above it the call
 *     fails over or fails fast. 0 never sleeps on one
 * @param deadlineMs limit of a whole call, retries and waits included, milliseconds
 */
public record RetryConfig(
    int maxRetries,
    long initialBackoffMs,
    long maxBackoffMs,
    long maxRetryAfterMs,
    long deadlineMs) {
  public static final int DEFAULT_MAX_RETRIES = 3;

  /** Milliseconds, as the SDKs. */
  public static final long DEFAULT_INITIAL_BACKOFF_MS = 500;

  /** Milliseconds, as the SDKs. */
  public static final long DEFAULT_MAX_BACKOFF_MS = 8_000;

  /** Milliseconds. */
  public static final long DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

  /** Milliseconds: 10 minutes, as the SDKs. */
  public static final long DEFAULT_DEADLINE_MS = 600_000;

  static final Range MAX_RETRIES = Range.of(0, 100);
  static final Range BACKOFF_MS = Range.of(0, Range.DAY_MS);
  static final Range DEADLINE_MS = Range.of(1, Range.DAY_MS);

  public RetryConfig {
    MAX_RETRIES.checkInt("retry.maxRetries", maxRetries);
    BACKOFF_MS.check("retry.initialBackoffMs", initialBackoffMs);
    BACKOFF_MS.check("retry.maxBackoffMs", maxBackoffMs);
    BACKOFF_MS.check("retry.maxRetryAfterMs", maxRetryAfterMs);
    DEADLINE_MS.check("retry.deadlineMs", deadlineMs);
    if (maxBackoffMs < initialBackoffMs) {
      throw new IllegalArgumentException(backoffOrderProblem(initialBackoffMs, maxBackoffMs));
    }
  }

  public static RetryConfig defaults() {
    return new RetryConfig(
        DEFAULT_MAX_RETRIES,
        DEFAULT_INITIAL_BACKOFF_MS,
        DEFAULT_MAX_BACKOFF_MS,
        DEFAULT_MAX_RETRY_AFTER_MS,
        DEFAULT_DEADLINE_MS);
  }

  static RetryConfig read(Section s) {
    int maxRetries = s.intIn("maxRetries", DEFAULT_MAX_RETRIES, MAX_RETRIES);
    long initial = s.longIn("initialBackoffMs", DEFAULT_INITIAL_BACKOFF_MS, BACKOFF_MS);
    long max = s.longIn("maxBackoffMs", DEFAULT_MAX_BACKOFF_MS, BACKOFF_MS);
    long maxRetryAfter = s.longIn("maxRetryAfterMs", DEFAULT_MAX_RETRY_AFTER_MS, BACKOFF_MS);
    long deadline = s.longIn("deadlineMs", DEFAULT_DEADLINE_MS, DEADLINE_MS);
    if (max < initial) {
      s.context().problem(backoffOrderProblem(initial, max));
      max = initial;
    }
    return new RetryConfig(maxRetries, initial, max, maxRetryAfter, deadline);
  }

  private static String backoffOrderProblem(long initial, long max) {
    return "retry.maxBackoffMs ("
        + max
        + ") must be at least retry.initialBackoffMs ("
        + initial
        + ")";
  }

  public JsonObject toSafeJson() {
    return new JsonObject()
        .put("maxRetries", maxRetries)
        .put("initialBackoffMs", initialBackoffMs)
        .put("maxBackoffMs", maxBackoffMs)
        .put("maxRetryAfterMs", maxRetryAfterMs)
        .put("deadlineMs", deadlineMs);
  }

  @Override
  public String toString() {
    return "RetryConfig" + toSafeJson().encode();
  }
}
