package dev.clauderelay.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RateLimitHeadroomTest {
  private static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

  private static Map<String, String> headers(String... pairs) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @ParameterizedTest(name = "[{index}] {0}/{1} → {2}")
  @CsvSource({
    "50, 49, PASS",
    "50, 5, PASS",
    "50, 4, WARN",
    "50, 0, WARN",
    "'', 0, WARN",
    "'', 7, PASS",
    "x, 7, PASS",
  })
  void headroom(String limit, String remaining, CheckStatus status) {
    CheckResult r =
        RateLimitHeadroom.check(
            headers(
                "anthropic-ratelimit-requests-limit", limit,
                "anthropic-ratelimit-requests-remaining", remaining,
                "anthropic-ratelimit-requests-reset", "2026-01-01T00:00:30Z"),
            NOW);
    assertEquals(status, r.status(), r.summary());
    assertTrue(r.summary().startsWith("requests " + remaining), r.summary());
  }

  @Test
  void noHeadersIsNotMeasured() {
    assertEquals(CheckStatus.SKIP, RateLimitHeadroom.check(Map.of(), NOW).status());
  }

  @Test
  void aLowBudgetSaysWhenItResets() {
    CheckResult r =
        RateLimitHeadroom.check(
            headers(
                "anthropic-ratelimit-tokens-limit", "80000",
                "anthropic-ratelimit-tokens-remaining", "1000",
                "anthropic-ratelimit-tokens-reset", "2026-01-01T00:00:30Z"),
            NOW);
    assertTrue(
        r.cause().contains("tokens; it resets at 2026-01-01T00:00:30Z (in 30 s)"), r.cause());
  }

  @ParameterizedTest(name = "[{index}] {0}={1} → {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "retry-after-ms                       | 1500                          | in 2 s",
        "retry-after                          | 30                            | in 30 s",
        "retry-after                          | Thu, 01 Jan 2026 00:01:00 GMT | in 60 s",
        "anthropic-ratelimit-requests-reset   | 2026-01-01T00:00:45Z          | in 45 s",
      })
  void resetTimes(String header, String value, String words) {
    Map<String, String> h = headers(header, value, "anthropic-ratelimit-requests-remaining", "0");
    String text = RateLimitHeadroom.resetText(h, NOW);
    assertTrue(text.contains(words), text);
  }

  @Test
  void nothingSaysWhen() {
    assertNull(RateLimitHeadroom.resetText(headers("retry-after", "soon"), NOW));
  }
}
