package dev.clauderelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuggestionsTest {
  private static final List<String> KEYS =
      List.of("maxRetries", "initialBackoffMs", "maxBackoffMs", "maxRetryAfterMs", "deadlineMs");

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      nullValues = "none",
      value = {
        "maxRetrys, maxRetries",
        "maxretries, maxRetries",
        "max_retries, maxRetries",
        "max-backoff-ms, maxBackoffMs",
        "deadlinems, deadlineMs",
        "deadline, deadlineMs",
        "dead, none",
        "zzz, none",
      })
  void suggestsWithinTwoEdits(String typed, String expected) {
    assertEquals(expected, Suggestions.closest(typed, KEYS));
  }

  @ParameterizedTest(name = "[{index}] {0}/{1} = {2}")
  @CsvSource({"kitten, sitting, 3", "'', abc, 3", "abc, abc, 0", "ab, ba, 2"})
  void levenshtein(String a, String b, int distance) {
    assertEquals(distance, Suggestions.distance(a, b));
  }
}
