package dev.clauderelay.region;

/**
 * What the health probes (and, for keys, live traffic) last said about a region. The declaration
 * order is not the routing preference: see {@link #routingRank()}.
 */
public enum RegionState {
  /** No probe has answered yet (startup, or the key set changed after an auth failure). */
  UNKNOWN,
  /** The probe got a normal answer (200, or 429: reachable, only this key's budget is spent). */
  UP,
  /** The region answers, but with server errors (5xx, 529) or unexpected statuses. */
  DEGRADED,
  /** No answer: DNS, TCP, TLS failed or the probe timed out. */
  DOWN,
  /** Every key was refused (401), or the probe got 403: no call can succeed until keys change. */
  AUTH_FAILED;

  /**
   * Routing preference, lower first: a region that answered (UP) beats one never probed (UNKNOWN),
   * which beats one known to answer with errors (DEGRADED), which beats one that does not answer at
   * all (DOWN). AUTH_FAILED regions are not routed to.
   */
  public int routingRank() {
    return switch (this) {
      case UP -> 0;
      case UNKNOWN -> 1;
      case DEGRADED -> 2;
      case DOWN -> 3;
      case AUTH_FAILED -> 4;
    };
  }
}
