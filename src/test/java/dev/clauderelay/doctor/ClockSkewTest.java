package dev.clauderelay.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClockSkewTest {
  /** Mon, 01 Jan 2024 00:00:00 GMT. */
  private static final long T = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();

  @ParameterizedTest(name = "[{index}] local {1}..{2} ms vs {0} → {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        // Date header                     | sent (ms from T) | received | status | words
        "Mon, 01 Jan 2024 00:00:00 GMT     | 400              | 600      | PASS   | within 1 s",
        "Mon, 01 Jan 2024 00:00:00 GMT     | 4000             | 4200     | PASS   | 3.6 s ahead",
        "Mon, 01 Jan 2024 00:00:00 GMT     | 9000             | 9200     | WARN   | 8.6 s ahead",
        "Mon, 01 Jan 2024 00:00:10 GMT     | 0                | 200      | WARN   | 10.4 s behind",
        "Mon, 01 Jan 2024 00:00:00 GMT     | 0                | 12000    | PASS   | ±6.5 s",
        "null                              | 0                | 100      | SKIP   | no Date header",
        "yesterday                         | 0                | 100      | SKIP   | unparsable",
      })
  void measures(String date, long sent, long received, CheckStatus status, String words) {
    CheckResult r = ClockSkew.check(date, T + sent, T + received);
    assertEquals(status, r.status(), r.summary());
    assertTrue(r.summary().contains(words), r.summary());
  }
}
