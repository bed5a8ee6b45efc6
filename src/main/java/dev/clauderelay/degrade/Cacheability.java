package dev.clauderelay.degrade;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * Whether a request may be answered from, and stored in, the response cache. Only a deterministic
 * request is: {@code temperature: 0}, or the client opting in with {@code x-relay-cache: on} (it
 * accepts a repeated answer). {@code x-relay-cache: off} always bypasses. Any other header value is
 * ignored, as if absent.
 */
public enum Cacheability {
  CACHE,
  BYPASS;

  /** The request header the client steers the cache with. */
  public static final String HEADER = "x-relay-cache";

  /**
   * @param request the Anthropic request body
   * @param headerValue the {@code x-relay-cache} header, or null when absent
   */
  public static Cacheability decide(JsonObject request, String headerValue) {
    String header = headerValue == null ? "" : headerValue.trim().toLowerCase(Locale.ROOT);
    if (header.equals("off")) {
      return BYPASS;
    }
    if (header.equals("on")) {
      return CACHE;
    }
    // An absent temperature means the API's default (1.0): sampled, so not repeatable.
    Object temperature = request == null ? null : request.getValue("temperature");
    return temperature instanceof Number n && n.doubleValue() == 0.0 ? CACHE : BYPASS;
  }
}
