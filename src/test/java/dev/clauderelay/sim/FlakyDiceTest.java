package dev.clauderelay.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlakyDiceTest {

  @Test
  void sameSeedAndIndexGiveTheSameRoll() {
    for (int n = 0; n < 100; n++) {
      assertEquals(FlakyDice.roll(42, n), FlakyDice.roll(42, n));
    }
  }

  @Test
  void shareOfOutcomesMatchesTheProfile() {
    int rolls = 20_000;
    Map<FlakyDice.Outcome, Integer> counts = new EnumMap<>(FlakyDice.Outcome.class);
    for (int n = 0; n < rolls; n++) {
      FlakyDice.Roll roll = FlakyDice.roll(7, n);
      counts.merge(roll.outcome(), 1, Integer::sum);
      if (roll.outcome() == FlakyDice.Outcome.LATENCY_SPIKE) {
        assertTrue(roll.extraDelayMs() >= 300 && roll.extraDelayMs() <= 1500);
      }
    }
    assertShare(counts, FlakyDice.Outcome.OVERLOADED, 0.15, rolls);
    assertShare(counts, FlakyDice.Outcome.API_ERROR, 0.10, rolls);
    assertShare(counts, FlakyDice.Outcome.RATE_LIMITED, 0.10, rolls);
    assertShare(counts, FlakyDice.Outcome.LATENCY_SPIKE, 0.10, rolls);
    assertShare(counts, FlakyDice.Outcome.HEALTHY, 0.55, rolls);
  }

  private static void assertShare(
      Map<FlakyDice.Outcome, Integer> counts, FlakyDice.Outcome outcome, double want, int rolls) {
    double share = counts.getOrDefault(outcome, 0) / (double) rolls;
    assertEquals(want, share, 0.02, outcome + " share");
  }
}
