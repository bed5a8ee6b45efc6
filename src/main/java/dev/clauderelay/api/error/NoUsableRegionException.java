package dev.clauderelay.api.error;

/**
 * No region could take the call: every breaker open, every key revoked or paused, or pacing
 * refused. {@link #retryAtMs()} says when one becomes usable again, when known (e.g. a paused key's
 * reset), else -1. The gateway answers it as 503 with {@code retry-after}.
 */
public final class NoUsableRegionException extends ClaudeException {
  private final long retryAtMs;

  public NoUsableRegionException(String message, long retryAtMs) {
    super(message, null);
    this.retryAtMs = retryAtMs;
  }

  public long retryAtMs() {
    return retryAtMs;
  }
}
