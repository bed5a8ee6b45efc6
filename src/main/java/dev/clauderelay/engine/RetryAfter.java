package dev.clauderelay.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the wait an upstream asks for: {@code retry-after-ms} (milliseconds, read first), else
 * {@code retry-after} as seconds (fractions allowed) or as an HTTP date. Garbage and negative
 * values are ignored (the caller falls back to backoff); a date in the past means "now".
 */
public final class RetryAfter {
  private RetryAfter() {}

  public static Optional<Duration> parse(String retryAfterMs, String retryAfter, Clock clock) {
    Optional<Duration> ms = number(retryAfterMs).map(v -> Duration.ofNanos(Math.round(v * 1e6)));
    if (ms.isPresent()) {
      return ms;
    }
    if (retryAfter == null) {
      return Optional.empty();
    }
    Optional<Duration> seconds =
        number(retryAfter).map(v -> Duration.ofNanos(Math.round(v * 1_000_000_000d)));
    if (seconds.isPresent()) {
      return seconds;
    }
    try {
      ZonedDateTime at =
          ZonedDateTime.parse(retryAfter.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration d = Duration.between(clock.instant(), at.toInstant());
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException garbage) {
      return Optional.empty();
    }
  }

  private static final Pattern DECIMAL = Pattern.compile("\\d{1,12}(\\.\\d{1,9})?");

  /** Plain decimal only: Java's parser would also take "1d", "0x1p3", "NaN" or "Infinity". */
  private static Optional<Double> number(String s) {
    if (s == null) {
      return Optional.empty();
    }
    String t = s.trim();
    return DECIMAL.matcher(t).matches() ? Optional.of(Double.parseDouble(t)) : Optional.empty();
  }
}
