package dev.clauderelay.engine;

import dev.clauderelay.api.error.AuthenticationException;
import dev.clauderelay.api.error.RateLimitException;
import dev.clauderelay.api.error.SpendLimitReachedException;
import dev.clauderelay.region.PacingException;
import dev.clauderelay.region.RegionBreaker;

/**
 * Where an attempt that failed this way should go next, if anywhere else can serve. Pure.
 *
 * <p>The region's fault (5xx, 529, timeout, connection; what its breaker counts) and a pacer that
 * cannot give a permit in time move to another region. A 429 (that key's budget) and a 401 (that
 * key revoked) move to another key, in the same region or another. Everything else stays with the
 * retry policy.
 */
final class Failover {
  enum Move {
    NONE,
    OTHER_KEY,
    OTHER_REGION
  }

  private Failover() {}

  static Move classify(Throwable failure) {
    if (failure instanceof SpendLimitReachedException) {
      return Move.NONE;
    }
    if (failure instanceof RateLimitException || failure instanceof AuthenticationException) {
      return Move.OTHER_KEY;
    }
    if (failure instanceof PacingException) {
      return Move.OTHER_REGION;
    }
    // Only what may be retried at all moves: a 529 with x-should-retry: false, or a body that
    // stalled after the generation was billed, stays final.
    if (RegionBreaker.countsAsFailure(failure) && RetryDecision.forFailure(failure).retry()) {
      return Move.OTHER_REGION;
    }
    return Move.NONE;
  }
}
