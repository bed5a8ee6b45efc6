package dev.clauderelay.engine;

import dev.clauderelay.api.UpstreamResponse;

/**
 * A successful call: the answer, which region gave it, after how many attempts, and whether the
 * degradation chain gave it instead of a region ({@code cache}, {@code stale-cache}, {@code
 * local-model}; null when a region answered).
 */
public record CallResult(UpstreamResponse response, String region, int attempts, String degraded) {
  public CallResult(UpstreamResponse response, String region, int attempts) {
    this(response, region, attempts, null);
  }
}
