package dev.clauderelay.client;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Per-call settings: the Anthropic headers to forward and an optional deadline shorter or longer
 * than the client's default.
 */
public final class CallOptions {
  /** Headers a caller may set; anything else would be either a credential or a hop header. */
  public static final Set<String> FORWARDED_HEADERS = Set.of("anthropic-version", "anthropic-beta");

  private final Map<String, String> headers = new HashMap<>();
  private long deadlineMs;
  private String cache;
  private String idempotencyKey;
  private boolean queue;

  public CallOptions putHeader(String name, String value) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (!FORWARDED_HEADERS.contains(lower)) {
      throw new IllegalArgumentException(
          "header '" + name + "' is not forwarded upstream; allowed: " + FORWARDED_HEADERS);
    }
    if (value != null) {
      headers.put(lower, value);
    }
    return this;
  }

  public Map<String, String> headers() {
    return Map.copyOf(headers);
  }

  /** The whole call's limit in milliseconds; 0 means the client's {@code deadlineMs}. */
  public CallOptions setDeadlineMs(long deadlineMs) {
    if (deadlineMs < 0) {
      throw new IllegalArgumentException("deadlineMs must be >= 0, got " + deadlineMs);
    }
    this.deadlineMs = deadlineMs;
    return this;
  }

  public long deadlineMs() {
    return deadlineMs;
  }

  /**
   * The {@code x-relay-cache} choice: {@code on} caches this call's answer whatever its
   * temperature, {@code off} bypasses the cache, null (default) caches only {@code temperature: 0}.
   */
  public CallOptions setCache(String cache) {
    this.cache = cache;
    return this;
  }

  public String cache() {
    return cache;
  }

  /**
   * The client's {@code idempotency-key}: when no region can serve the call, it is stored as a
   * durable pending task under this key (the same key twice is the same task) and the call fails
   * with {@code TaskQueuedException}. Needs the client's {@code pendingDir}.
   */
  public CallOptions setIdempotencyKey(String idempotencyKey) {
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
      throw new IllegalArgumentException("idempotency-key must be 1 to 255 characters");
    }
    this.idempotencyKey = idempotencyKey;
    return this;
  }

  public String idempotencyKey() {
    return idempotencyKey;
  }

  /** {@code x-relay-queue: on}: may be queued as a pending task even without an idempotency key. */
  public CallOptions setQueue(boolean queue) {
    this.queue = queue;
    return this;
  }

  public boolean queue() {
    return queue;
  }
}
