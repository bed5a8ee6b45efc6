package dev.clauderelay.gateway;

import java.util.HashMap;
import java.util.Map;

/**
 * Which upstream response headers reach the client: the request id, the waits ({@code retry-after},
 * {@code retry-after-ms}) and the rate-limit figures. Nothing else: hop-by-hop and framing headers
 * are the gateway's own, and anything unknown stays behind.
 */
final class UpstreamHeaders {
  private static final String RATELIMIT_PREFIX = "anthropic-ratelimit-";

  private UpstreamHeaders() {}

  /** The passed subset of {@code headers} (names in lower case, as the engine gives them). */
  static Map<String, String> passed(Map<String, String> headers) {
    Map<String, String> out = new HashMap<>();
    headers.forEach(
        (name, value) -> {
          if (passes(name)) {
            out.put(name, value);
          }
        });
    return out;
  }

  static boolean passes(String name) {
    return name.equals("request-id")
        || name.equals("retry-after")
        || name.equals("retry-after-ms")
        || name.startsWith(RATELIMIT_PREFIX);
  }
}
