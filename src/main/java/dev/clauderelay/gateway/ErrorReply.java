package dev.clauderelay.gateway;

import dev.clauderelay.api.ErrorBody;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * An error as the gateway answers it: status, the Anthropic error JSON, headers to send with it
 * ({@code retry-after}, rate-limit figures), and which region answered after how many attempts
 * (null and 0 when nothing went upstream).
 *
 * @param requestId the upstream's {@code request-id}, or null when no upstream answered
 */
record ErrorReply(
    int status,
    JsonObject body,
    Map<String, String> headers,
    String region,
    int attempts,
    String requestId) {

  /** An error of the gateway's own: nothing went upstream. */
  static ErrorReply local(int status, String message) {
    return new ErrorReply(
        status,
        ErrorBody.toWire(ErrorTypes.forStatus(status), message, null),
        Map.of(),
        null,
        0,
        null);
  }

  /** The same error with these extra response headers. */
  ErrorReply withHeaders(Map<String, String> extra) {
    return new ErrorReply(status, body, extra, region, attempts, requestId);
  }

  /** {@code error.type} of the body. */
  String type() {
    JsonObject error = body.getJsonObject("error");
    return error == null ? null : error.getString("type");
  }
}
