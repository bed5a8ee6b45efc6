package dev.clauderelay.sim;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A request as the simulator received it, kept so tests can assert on what a client sent.
 *
 * @param sequence 0-based arrival order across all paths
 * @param requestId the {@code request-id} the simulator answered with
 * @param method HTTP method, e.g. {@code POST}
 * @param path path without the query, e.g. {@code /v1/messages}
 * @param query raw query string, or {@code null}
 * @param headers all headers; the map ignores the case of names and cannot be modified
 * @param body the body decoded as UTF-8 ({@code ""} when there is none)
 * @param arrivalNanos {@link System#nanoTime()} when the request was fully read, to measure the
 *     waits between attempts
 */
public record RecordedRequest(
    long sequence,
    String requestId,
    String method,
    String path,
    String query,
    Map<String, List<String>> headers,
    String body,
    long arrivalNanos) {

  public RecordedRequest {
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach(
        (name, values) ->
            copy.computeIfAbsent(name, n -> new ArrayList<>()).addAll(List.copyOf(values)));
    copy.replaceAll((name, values) -> List.copyOf(values));
    headers = Collections.unmodifiableMap(copy);
    body = body == null ? "" : body;
  }

  /** The first value of a header (name case ignored), or {@code null} when it was not sent. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The body as a JSON object, or {@code null} when it is not one. */
  public JsonObject bodyJson() {
    try {
      Object value = Json.decodeValue(body);
      return value instanceof JsonObject json ? json : null;
    } catch (DecodeException e) {
      return null;
    }
  }
}
