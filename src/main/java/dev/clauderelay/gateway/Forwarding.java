package dev.clauderelay.gateway;

import dev.clauderelay.client.CallOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * The client headers that go upstream: {@code anthropic-version} and {@code anthropic-beta}
 * (several {@code anthropic-beta} lines are joined with commas, as the API reads them). Nothing
 * else does: the client's {@code x-api-key} / {@code Authorization} is the gateway's token, and the
 * upstream key is the region's.
 */
final class Forwarding {
  private Forwarding() {}

  static CallOptions callOptions(HttpServerRequest request) {
    CallOptions call = new CallOptions();
    for (String name : CallOptions.FORWARDED_HEADERS) {
      List<String> values = request.headers().getAll(name);
      if (!values.isEmpty()) {
        call.putHeader(name, String.join(",", values));
      }
    }
    return call;
  }
}
