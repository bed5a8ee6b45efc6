package dev.clauderelay.sim;

import java.util.SplittableRandom;

/**
 * The {@code flaky} profile's outcome for the n-th request it handles. A pure function of (seed,
 * n), so a run with the same seed and the same request order misbehaves the same way: a failing
 * chaos drill can be replayed.
 */
final class FlakyDice {

  enum Outcome {
    /** 529 overloaded_error, about 15 %. */
    OVERLOADED,
    /** 500 api_error, about 10 %. */
    API_ERROR,
    /** 429 rate_limit_error with {@code retry-after: 1}, about 10 %. */
    RATE_LIMITED,
    /** A healthy answer after an extra 300–1500 ms, about 10 %. */
    LATENCY_SPIKE,
    /** A healthy answer, the remaining 55 %. */
    HEALTHY
  }

  record Roll(Outcome outcome, long extraDelayMs) {}

  static final long SPIKE_MIN_MS = 300;
  static final long SPIKE_MAX_MS = 1500;

  private FlakyDice() {}

  static Roll roll(long seed, long n) {
    // SplittableRandom mixes its seed, so neighbouring n give unrelated draws.
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + n);
    double u = random.nextDouble();
    if (u < 0.15) {
      return new Roll(Outcome.OVERLOADED, 0);
    }
    if (u < 0.25) {
      return new Roll(Outcome.API_ERROR, 0);
    }
    if (u < 0.35) {
      return new Roll(Outcome.RATE_LIMITED, 0);
    }
    if (u < 0.45) {
      return new Roll(Outcome.LATENCY_SPIKE, random.nextLong(SPIKE_MIN_MS, SPIKE_MAX_MS + 1));
    }
    return new Roll(Outcome.HEALTHY, 0);
  }
}
