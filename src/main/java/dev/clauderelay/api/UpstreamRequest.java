package dev.clauderelay.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.Map;

/**
 * One HTTP call to a region, without the region: method, path under the base URL, body, the
 * caller's forwarded Anthropic headers ({@code anthropic-version}, {@code anthropic-beta}).
 */
public record UpstreamRequest(
    HttpMethod method, String path, Buffer body, Map<String, String> forwardHeaders) {

  public UpstreamRequest {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/', got " + path);
    }
    forwardHeaders = forwardHeaders == null ? Map.of() : Map.copyOf(forwardHeaders);
  }

  public static UpstreamRequest post(String path, Buffer body, Map<String, String> headers) {
    return new UpstreamRequest(HttpMethod.POST, path, body, headers);
  }

  public static UpstreamRequest get(String path, Map<String, String> headers) {
    return new UpstreamRequest(HttpMethod.GET, path, null, headers);
  }
}
