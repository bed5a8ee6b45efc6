package dev.clauderelay.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RateLimitHeadersTest {
  private static final long NOW = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();

  static Stream<Arguments> resets() {
    return Stream.of(
        Arguments.of("2026-03-01T12:00:30Z", NOW + 30_000),
        Arguments.of("2026-03-01T12:00:30.250Z", NOW + 30_250),
        Arguments.of("2026-03-01T13:00:30+01:00", NOW + 30_000),
        Arguments.of("2026-03-01T11:00:30-01:00", NOW + 30_000),
        Arguments.of(" 2026-03-01T12:00:30Z ", NOW + 30_000),
        Arguments.of("tomorrow", -1L),
        Arguments.of("", -1L),
        Arguments.of("1700000000", -1L));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("resets")
  void parsesRfc3339Resets(String value, long expected) {
    assertEquals(expected, RateLimitHeaders.instant(value));
  }

  @Test
  void readsEveryKind() {
    Map<String, String> h = new HashMap<>();
    h.put("anthropic-ratelimit-requests-remaining", "12");
    h.put("anthropic-ratelimit-requests-reset", "2026-03-01T12:00:05Z");
    h.put("anthropic-ratelimit-tokens-remaining", "79000");
    h.put("anthropic-ratelimit-input-tokens-remaining", "0");
    h.put("anthropic-ratelimit-input-tokens-reset", "2026-03-01T12:00:20Z");
    h.put("anthropic-ratelimit-output-tokens-remaining", "garbage");
    RateLimitHeaders r = RateLimitHeaders.parse(h, NOW);
    assertEquals(new RateLimitHeaders.Limit("requests", 12, NOW + 5000), r.requests());
    assertEquals(new RateLimitHeaders.Limit("tokens", 79000, -1), r.limit("tokens"));
    assertEquals(
        new RateLimitHeaders.Limit("input-tokens", 0, NOW + 20_000), r.limit("input-tokens"));
    assertNull(r.limit("output-tokens"));
    assertEquals(-1, r.retryAfterMs());
  }

  /** Rows: headers as {@code name=value;…}, the expected pause end (ms after NOW). */
  static Stream<Arguments> pauses() {
    return Stream.of(
        Arguments.of("retry-after-ms=1500", 1500L),
        Arguments.of("retry-after-ms=1500;retry-after=9", 1500L),
        Arguments.of("retry-after=2", 2000L),
        Arguments.of("retry-after=0.5", 500L),
        Arguments.of("retry-after=Sun, 01 Mar 2026 12:00:07 GMT", 7000L),
        Arguments.of("retry-after=soon", 1000L),
        Arguments.of(
            "anthropic-ratelimit-requests-remaining=0;"
                + "anthropic-ratelimit-requests-reset=2026-03-01T12:00:09Z;"
                + "anthropic-ratelimit-tokens-remaining=5000;"
                + "anthropic-ratelimit-tokens-reset=2026-03-01T12:00:03Z",
            9000L),
        Arguments.of(
            "anthropic-ratelimit-requests-remaining=3;"
                + "anthropic-ratelimit-requests-reset=2026-03-01T12:00:09Z;"
                + "anthropic-ratelimit-tokens-remaining=1000;"
                + "anthropic-ratelimit-tokens-reset=2026-03-01T12:00:03Z",
            3000L),
        Arguments.of(
            "anthropic-ratelimit-requests-remaining=0;"
                + "anthropic-ratelimit-requests-reset=2026-03-01T11:59:00Z",
            1000L),
        Arguments.of("", 1000L));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("pauses")
  void pausesAKeyAfterA429(String spec, long expected) {
    Map<String, String> h = new HashMap<>();
    for (String pair : spec.split(";")) {
      if (!pair.isEmpty()) {
        h.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
      }
    }
    assertEquals(expected, RateLimitHeaders.parse(h, NOW).pauseUntil(NOW) - NOW);
  }
}
