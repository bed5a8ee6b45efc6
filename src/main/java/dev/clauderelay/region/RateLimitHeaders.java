package dev.clauderelay.region;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rate-limit facts of one response: {@code anthropic-ratelimit-{kind}-remaining} and {@code
 * -reset} (RFC 3339) for the kinds {@code requests}, {@code tokens}, {@code input-tokens}, {@code
 * output-tokens}, and the wait a 429 asks for ({@code retry-after-ms}, else {@code retry-after} in
 * seconds or as an HTTP date). Pure: parsing never throws, garbage reads as absent.
 *
 * @param limits one entry per kind that had a parsable {@code -remaining}
 * @param retryAfterMs the wait asked for, milliseconds, or -1 when absent
 */
public record RateLimitHeaders(List<Limit> limits, long retryAfterMs) {

  /** Header name infix of each budget the API reports. */
  public static final List<String> KINDS =
      List.of("requests", "tokens", "input-tokens", "output-tokens");

  /** Pause of a key after a 429 that said nothing about when to come back, milliseconds. */
  public static final long DEFAULT_PAUSE_MS = 1_000;

  private static final String PREFIX = "anthropic-ratelimit-";
  private static final Pattern INTEGER = Pattern.compile("\\d{1,18}");
  private static final Pattern DECIMAL = Pattern.compile("\\d{1,12}(\\.\\d{1,9})?");

  /**
   * One budget.
   *
   * @param kind e.g. {@code requests}
   * @param remaining what is left, as reported (token figures are rounded to thousands)
   * @param resetAtMs epoch ms when the budget is replenished, or -1 when absent or unparsable
   */
  public record Limit(String kind, long remaining, long resetAtMs) {}

  public RateLimitHeaders {
    limits = List.copyOf(limits);
  }

  /**
   * Reads the headers of a response.
   *
   * @param headers names in lower case (as {@code UpstreamResponse.headerMap()} gives them)
   * @param nowMs epoch ms, for a {@code retry-after} HTTP date
   */
  public static RateLimitHeaders parse(Map<String, String> headers, long nowMs) {
    if (!mentionsLimits(headers)) {
      return NONE;
    }
    List<Limit> limits = new ArrayList<>(KINDS.size());
    for (String kind : KINDS) {
      long remaining = integer(get(headers, PREFIX + kind + "-remaining"));
      if (remaining >= 0) {
        limits.add(new Limit(kind, remaining, instant(get(headers, PREFIX + kind + "-reset"))));
      }
    }
    return new RateLimitHeaders(limits, retryAfter(headers, nowMs));
  }

  /** The {@code requests} budget, or null when the response did not report it. */
  public Limit requests() {
    return limit("requests");
  }

  public Limit limit(String kind) {
    return limits.stream().filter(l -> l.kind().equals(kind)).findFirst().orElse(null);
  }

  /**
   * Until when a key should rest after a 429 received at {@code nowMs}: the wait the response asked
   * for, else the latest reset of a budget reported as exhausted, else the earliest future reset
   * reported, else {@link #DEFAULT_PAUSE_MS}.
   */
  public long pauseUntil(long nowMs) {
    if (retryAfterMs >= 0) {
      return nowMs + retryAfterMs;
    }
    long exhausted = -1;
    long earliest = Long.MAX_VALUE;
    for (Limit l : limits) {
      if (l.resetAtMs() > nowMs) {
        earliest = Math.min(earliest, l.resetAtMs());
        if (l.remaining() == 0) {
          exhausted = Math.max(exhausted, l.resetAtMs());
        }
      }
    }
    if (exhausted > 0) {
      return exhausted;
    }
    return earliest != Long.MAX_VALUE ? earliest : nowMs + DEFAULT_PAUSE_MS;
  }

  /** A response that says nothing about limits (most of them, unless the upstream reports). */
  private static final RateLimitHeaders NONE = new RateLimitHeaders(List.of(), -1);

  /** Whether any header {@link #parse} reads is there: one pass instead of a dozen lookups. */
  private static boolean mentionsLimits(Map<String, String> headers) {
    for (String name : headers.keySet()) {
      if (name.startsWith(PREFIX) || name.startsWith("retry-after")) {
        return true;
      }
    }
    return false;
  }

  private static String get(Map<String, String> headers, String name) {
    String v = headers.get(name);
    return v != null ? v : headers.get(name.toLowerCase(Locale.ROOT));
  }

  private static long integer(String s) {
    if (s == null) {
      return -1;
    }
    String t = s.trim();
    return INTEGER.matcher(t).matches() ? Long.parseLong(t) : -1;
  }

  /** RFC 3339 with {@code Z} or an offset, fractions allowed; -1 when absent or unparsable. */
  static long instant(String s) {
    if (s == null || s.isBlank()) {
      return -1;
    }
    try {
      return OffsetDateTime.parse(s.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant()
          .toEpochMilli();
    } catch (DateTimeParseException notOffset) {
      try {
        return Instant.parse(s.trim()).toEpochMilli();
      } catch (DateTimeParseException garbage) {
        return -1;
      }
    }
  }

  private static long retryAfter(Map<String, String> headers, long nowMs) {
    String ms = get(headers, "retry-after-ms");
    if (ms != null && DECIMAL.matcher(ms.trim()).matches()) {
      return (long) Math.ceil(Double.parseDouble(ms.trim()));
    }
    String ra = get(headers, "retry-after");
    if (ra == null) {
      return -1;
    }
    String t = ra.trim();
    if (DECIMAL.matcher(t).matches()) {
      return (long) Math.ceil(Double.parseDouble(t) * 1000);
    }
    try {
      long at =
          ZonedDateTime.parse(t, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
      return Math.max(0, at - nowMs);
    } catch (DateTimeParseException garbage) {
      return -1;
    }
  }
}
