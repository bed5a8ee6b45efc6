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
}
