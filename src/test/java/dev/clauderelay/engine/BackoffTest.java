package dev.clauderelay.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
  private final Backoff sdkDefaults = new Backoff(500, 8000);

  @ParameterizedTest(name = "retry {0}: [{1}, {2}] ms")
  @CsvSource({
    "0, 375, 500",
    "1, 750, 1000",
    "2, 1500, 2000",
    "3, 3000, 4000",
    "4, 6000, 8000",
    "5, 6000, 8000",
    "40, 6000, 8000",
    "100, 6000, 8000",
    "2147483647, 6000, 8000",
  })
  void boundsOfTheFormula(int retry, long min, long max) {
    // unit 0 is the top of U(0.75, 1]; a unit just below 1 approaches the bottom.
    assertEquals(max, sdkDefaults.delayMs(retry, 0.0));
    long low = sdkDefaults.delayMs(retry, Math.nextDown(1.0));
    assertTrue(low >= min && low < max, "low end " + low);
    Random random = new Random(42);
    for (int i = 0; i < 1000; i++) {
      long d = sdkDefaults.delayMs(retry, random.nextDouble());
      assertTrue(d >= min && d <= max, d + " outside [" + min + ", " + max + "]");
    }
  }

  @Test
  void refusesBadInput() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(-1, 10));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(100, 10));
    assertThrows(IllegalArgumentException.class, () -> sdkDefaults.delayMs(-1, 0.5));
    assertThrows(IllegalArgumentException.class, () -> sdkDefaults.delayMs(0, 1.0));
  }
}
