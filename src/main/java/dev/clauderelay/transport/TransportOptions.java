package dev.clauderelay.transport;

/**
 * Limits of one region's HTTP client. Every limit is explicit: a default that waits forever is how
 * a client hangs when a firewall drops packets.
 *
 * @param baseUrl e.g. {@code https://api.anthropic.com}, no trailing slash needed
 * @param connectTimeoutMs TCP + TLS connect limit, milliseconds
 * @param responseTimeoutMs from sending to the response headers, milliseconds
 * @param idleTimeoutMs longest silence while reading a body, milliseconds
 * @param maxConnections connection pool size (HTTP/1.1)
 * @param maxWaitQueue requests waiting for a pooled connection before new ones are refused
 * @param defaultAnthropicVersion sent when the caller gave none
 */
public record TransportOptions(
    String baseUrl,
    long connectTimeoutMs,
    long responseTimeoutMs,
    long idleTimeoutMs,
    int maxConnections,
    int maxWaitQueue,
    String defaultAnthropicVersion) {

  public TransportOptions {
    if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
      throw new IllegalArgumentException(
          "baseUrl must start with http:// or https://, got " + baseUrl);
    }
    while (baseUrl.endsWith("/")) {
      baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
    }
  }
}
