package dev.clauderelay.eventbus;

import io.vertx.core.json.JsonObject;

/**
 * How {@link ClaudeVerticle} tells a live stream consumer from a vanished one, in the Vert.x
 * data-object style (fluent setters that check at once, JSON constructor refusing unknown keys,
 * {@link #toJson()}).
 */
public final class ClaudeVerticleOptions {
  /**
   * Time a stream consumer has to acknowledge each message sent to its {@code replyTo} address,
   * milliseconds (Vert.x's own default request timeout). {@link EventBusStream} acknowledges on
   * receipt, so only a gone or wedged consumer misses it.
   */
  public static final long DEFAULT_ACK_TIMEOUT_MS = 30_000;

  /**
   * Time a stream may wait with no credit left before its consumer counts as vanished and the
   * upstream request is cancelled, milliseconds. A consumer that is merely slow grants well within
   * it; one that paused forever would otherwise hold an upstream connection forever.
   */
  public static final long DEFAULT_CREDIT_TIMEOUT_MS = 60_000;

  private static final long MAX_MS = 86_400_000L;

  private long ackTimeoutMs = DEFAULT_ACK_TIMEOUT_MS;
  private long creditTimeoutMs = DEFAULT_CREDIT_TIMEOUT_MS;

  public ClaudeVerticleOptions() {}

  public ClaudeVerticleOptions(ClaudeVerticleOptions other) {
    this(other.toJson());
  }

  /** Reads the keys of {@link #toJson()}; an unknown key or a wrong type is an error naming it. */
  public ClaudeVerticleOptions(JsonObject json) {
    for (String key : json.fieldNames()) {
      Object v = json.getValue(key);
      switch (key) {
        case "ackTimeoutMs" -> setAckTimeoutMs(millis(key, v));
        case "creditTimeoutMs" -> setCreditTimeoutMs(millis(key, v));
        default ->
            throw new IllegalArgumentException(
                "unknown ClaudeVerticle option '"
                    + key
                    + "'; known: [ackTimeoutMs, creditTimeoutMs]");
      }
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("ackTimeoutMs", ackTimeoutMs)
        .put("creditTimeoutMs", creditTimeoutMs);
  }

  public long getAckTimeoutMs() {
    return ackTimeoutMs;
  }

  /** Milliseconds, 1..86400000; default {@value #DEFAULT_ACK_TIMEOUT_MS}. */
  public ClaudeVerticleOptions setAckTimeoutMs(long ackTimeoutMs) {
    this.ackTimeoutMs = check("ackTimeoutMs", ackTimeoutMs);
    return this;
  }

  public long getCreditTimeoutMs() {
    return creditTimeoutMs;
  }

  /** Milliseconds, 1..86400000; default {@value #DEFAULT_CREDIT_TIMEOUT_MS}. */
  public ClaudeVerticleOptions setCreditTimeoutMs(long creditTimeoutMs) {
    this.creditTimeoutMs = check("creditTimeoutMs", creditTimeoutMs);
    return this;
  }

  private static long check(String key, long ms) {
    if (ms < 1 || ms > MAX_MS) {
      throw new IllegalArgumentException(key + " must be between 1 and " + MAX_MS + ", got " + ms);
    }
    return ms;
  }

  private static long millis(String key, Object v) {
    if (!(v instanceof Integer || v instanceof Long)) {
      throw new IllegalArgumentException(key + " must be a whole number of milliseconds, got " + v);
    }
    return ((Number) v).longValue();
  }

  @Override
  public String toString() {
    return "ClaudeVerticleOptions" + toJson().encode();
  }
}
