package dev.clauderelay.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryAfterTest {
  // Thu, 26 Nov 2026 08:00:00 GMT
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-26T08:00:00Z"), ZoneOffset.UTC);

  @ParameterizedTest(name = "retry-after-ms={0} retry-after={1} -> {2} ms")
  @CsvSource(
      nullValues = "-",
      delimiter = '|',
      value = {
        "-      | -                             | -",
        "1500   | -                             | 1500",
        "1500   | 30                            | 1500",
        "0      | -                             | 0",
        "250.5  | -                             | 250",
        "-      | 2                             | 2000",
        "-      | ' 2 '                         | 2000",
        "-      | 0.5                           | 500",
        "-      | 1.25                          | 1250",
        "-      | 120                           | 120000",
        "-      | 86400                         | 86400000",
        "-      | Thu, 26 Nov 2026 08:00:30 GMT | 30000",
        "-      | Thu, 26 Nov 2026 07:59:00 GMT | 0",
        "-      | Thu, 26 Nov 2026 09:00:00 GMT | 3600000",
        "garbage| 3                             | 3000",
        "-1     | 3                             | 3000",
        "NaN    | -                             | -",
        "-      | garbage                       | -",
        "-      | -5                            | -",
        "-      | Infinity                      | -",
        "-      | 1e3                           | -",
        "-      | 2d                            | -",
        "-      | ''                            | -",
        "-      | 26/11/2026                    | -",
      })
  void table(String ms, String seconds, Long expectedMs) {
    Optional<Duration> parsed = RetryAfter.parse(ms, seconds, CLOCK);
    assertEquals(Optional.ofNullable(expectedMs), parsed.map(Duration::toMillis));
  }
}
