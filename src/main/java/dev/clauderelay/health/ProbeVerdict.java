package dev.clauderelay.health;

import dev.clauderelay.region.RegionState;

/** What a probe's HTTP answer means for a region. Pure. */
public final class ProbeVerdict {
  private ProbeVerdict() {}

  /**
   * The region's state after a probe.
   *
   * @param status HTTP status of {@code GET /v1/models}, 0 when no answer came (DNS, TCP, TLS,
   *     connection or timeout failure)
   * @param otherKeysLeft after a 401, whether the pool still has an unrevoked key
   */
  public static RegionState of(int status, boolean otherKeysLeft) {
    if (status <= 0) {
      return RegionState.DOWN;
    }
    if (status >= 200 && status < 300) {
      return RegionState.UP;
    }
    return switch (status) {
      // The endpoint works; only that key was refused, and it is revoked now.
      case 401 -> otherKeysLeft ? RegionState.UP : RegionState.AUTH_FAILED;
      case 403 -> RegionState.AUTH_FAILED;
      // Reachable: only the key's budget is spent (the key is paused until its reset).
      case 429 -> RegionState.UP;
      // 5xx, 529, and anything unexpected (a 404 here usually means a wrong base URL).
      default -> RegionState.DEGRADED;
    };
  }

  /**
   * Whether the answer shows the region serving normally, as far as its breaker is concerned: any
   * answer below 500. It closes a half-open breaker; anything else re-opens it.
   */
  public static boolean breakerSuccess(int status) {
    return status > 0 && status < 500;
  }

  /**
   * Whether the probe's HTTP time is a fair latency sample: answers below 500. Errors that come
   * back fast would make a failing region look quick.
   */
  public static boolean feedsLatency(int status) {
    return status > 0 && status < 500;
  }
}
