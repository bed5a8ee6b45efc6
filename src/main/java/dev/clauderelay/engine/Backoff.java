package dev.clauderelay.engine;

/**
 * Exponential backoff with jitter, as the official SDKs do it: {@code min(initial * 2^n, max) *
 * U(0.75, 1]}. Pure: the random unit is passed in.
 */
public final class Backoff {
  private final long initialMs;
  private final long maxMs;

  public Backoff(long initialMs, long maxMs) {
    if (initialMs < 0 || maxMs < initialMs) {
      throw new IllegalArgumentException(
          "backoff needs 0 <= initialBackoffMs <= maxBackoffMs, got "
              + initialMs
              + " and "
              + maxMs);
    }
    this.initialMs = initialMs;
    this.maxMs = maxMs;
  }

  /**
   * Delay before retry number {@code retry} (0 for the first retry).
   *
   * @param unit a uniform random number in [0, 1); 0 gives the full delay, values near 1 give 75%
   */
  public long delayMs(int retry, double unit) {
    if (retry < 0) {
      throw new IllegalArgumentException("retry index must be >= 0, got " + retry);
    }
    if (unit < 0 || unit >= 1) {
      throw new IllegalArgumentException("random unit must be in [0, 1), got " + unit);
    }
    // Cap the exponent before shifting so that large retry counts cannot overflow.
    long base = retry >= 62 ? maxMs : Math.min(maxMs, initialMs * (1L << Math.min(retry, 30)));
    return Math.round(base * (1.0 - 0.25 * unit));
  }

  public long initialMs() {
    return initialMs;
  }

  public long maxMs() {
    return maxMs;
  }
}
