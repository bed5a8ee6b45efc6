package dev.clauderelay.doctor;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The budgets the API reports in {@code anthropic-ratelimit-{kind}-limit|remaining|reset}, and when
 * a 429 ends. Pure: unparsable values read as absent.
 */
final class RateLimitHeadroom {
  static final List<String> KINDS = List.of("requests", "tokens", "input-tokens", "output-tokens");

  /** Below this share of a budget left, the line is a warning. */
  static final double LOW_SHARE = 0.10;

  private static final String PREFIX = "anthropic-ratelimit-";

  private RateLimitHeadroom() {}

  /** One budget; -1 for a figure not reported. */
  record Budget(String kind, long limit, long remaining, Instant reset) {
    String text() {
      return kind + " " + remaining + (limit >= 0 ? "/" + limit : "") + " left";
    }

    boolean low() {
      return remaining == 0 || (limit > 0 && remaining < limit * LOW_SHARE);
    }
  }

  static List<Budget> budgets(Map<String, String> headers) {
    List<Budget> budgets = new ArrayList<>();
    for (String kind : KINDS) {
      long remaining = number(headers.get(PREFIX + kind + "-remaining"));
      if (remaining >= 0) {
        budgets.add(
            new Budget(
                kind,
                number(headers.get(PREFIX + kind + "-limit")),
                remaining,
                instant(headers.get(PREFIX + kind + "-reset"))));
      }
    }
    return budgets;
  }

  /**
   * @param headers lower-case names
   */
  static CheckResult check(Map<String, String> headers, long nowMs) {
    List<Budget> budgets = budgets(headers);
    if (budgets.isEmpty()) {
      return CheckResult.skip(
          CheckId.RATE_LIMIT, "not reported (no anthropic-ratelimit-* headers on /v1/models)");
    }
    String summary = String.join(", ", budgets.stream().map(Budget::text).toList());
    List<Budget> low = budgets.stream().filter(Budget::low).toList();
    CheckResult result;
    if (low.isEmpty()) {
      result = CheckResult.pass(CheckId.RATE_LIMIT, summary);
    } else {
      Budget first = low.get(0);
      result =
          CheckResult.warn(
              CheckId.RATE_LIMIT,
              summary,
              "little headroom on "
                  + first.kind()
                  + (first.reset() == null ? "" : "; it resets " + when(first.reset(), nowMs)),
              "expect 429s under load: lower rateLimit.requestsPerMinute or add keys to the pool");
    }
    for (Budget b : budgets) {
      result.with(b.kind() + "Remaining", b.remaining());
      if (b.limit() >= 0) {
        result.with(b.kind() + "Limit", b.limit());
      }
    }
    return result;
  }

  /**
   * When a 429 ends, as text: from {@code retry-after-ms}, {@code retry-after} (seconds or HTTP
   * date), else the latest reset of an exhausted budget, else the earliest reset reported. Null
   * when nothing says.
   */
  static String resetText(Map<String, String> headers, long nowMs) {
    Instant at = null;
    String ms = headers.get("retry-after-ms");
    String after = headers.get("retry-after");
    if (number(ms) >= 0) {
      at = Instant.ofEpochMilli(nowMs + number(ms));
    } else if (number(after) >= 0) {
      at = Instant.ofEpochMilli(nowMs + number(after) * 1000);
    } else if (after != null) {
      try {
        at = ZonedDateTime.parse(after.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      } catch (DateTimeParseException garbage) {
        at = null;
      }
    }
    if (at == null) {
      Instant exhausted = null;
      Instant earliest = null;
      for (Budget b : budgets(headers)) {
        if (b.reset() == null) {
          continue;
        }
        if (b.remaining() == 0 && (exhausted == null || b.reset().isAfter(exhausted))) {
          exhausted = b.reset();
        }
        if (earliest == null || b.reset().isBefore(earliest)) {
          earliest = b.reset();
        }
      }
      at = exhausted != null ? exhausted : earliest;
    }
    return at == null ? null : "resets " + when(at, nowMs);
  }

  /** E.g. {@code at 2026-11-26T10:00:00Z (in 37 s)}. */
  static String when(Instant at, long nowMs) {
    long seconds = Math.max(0, (at.toEpochMilli() - nowMs + 999) / 1000);
    return "at "
        + at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        + " (in "
        + seconds
        + " s)";
  }

  private static long number(String s) {
    if (s == null) {
      return -1;
    }
    String t = s.trim();
    if (t.isEmpty() || t.length() > 18 || !t.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Long.parseLong(t);
  }

  private static Instant instant(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException garbage) {
      return null;
    }
  }
}
