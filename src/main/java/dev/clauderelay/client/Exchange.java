package dev.clauderelay.client;

import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * An upstream answer as it came, for adapters that forward it (the gateway): status, headers
 * (lower-case names), body, which region answered after how many attempts, and {@code degraded}
 * ({@code cache}, {@code stale-cache}, {@code local-model}) when the degradation chain answered
 * instead of a region (null otherwise).
 */
public record Exchange(
    int status,
    Map<String, String> headers,
    Buffer body,
    String region,
    int attempts,
    String degraded) {
  public Exchange(
      int status, Map<String, String> headers, Buffer body, String region, int attempts) {
    this(status, headers, body, region, attempts, null);
  }
}
