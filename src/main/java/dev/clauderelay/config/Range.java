package dev.clauderelay.config;

/**
 * Inclusive bounds of a numeric key. One instance serves both the loader (which collects every
 * violation) and the record constructors (which fail fast), so the two can never disagree.
 */
record Range(long min, long max) {
  /** One day in milliseconds: the upper bound of most durations, a typo guard more than a limit. */
  static final long DAY_MS = 86_400_000L;

  static Range of(long min, long max) {
    return new Range(min, max);
  }

  boolean contains(long value) {
    return value >= min && value <= max;
  }

  /** The message for a value outside the range, e.g. {@code retry.maxRetries must be ...}. */
  String violation(String key, String value) {
    return key + " must be between " + min + " and " + max + ", got " + value;
  }

  /** For record constructors: the value, or an {@link IllegalArgumentException}. */
  long check(String key, long value) {
    if (!contains(value)) {
      throw new IllegalArgumentException(violation(key, Long.toString(value)));
    }
    return value;
  }

  int checkInt(String key, int value) {
    return (int) check(key, value);
  }
}
