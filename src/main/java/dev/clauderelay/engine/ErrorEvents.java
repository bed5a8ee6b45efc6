package dev.clauderelay.engine;

import dev.clauderelay.api.ErrorBody;
import dev.clauderelay.api.error.ApiException;
import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * An {@code event: error} inside a 200 stream, turned into the exception its {@code error.type}
 * would have had as an HTTP status, so that the retry decision treats both alike.
 */
final class ErrorEvents {
  private ErrorEvents() {}

  static int statusOf(String errorType) {
    if (errorType == null) {
      return 500;
    }
    return switch (errorType) {
      case "invalid_request_error" -> 400;
      case "authentication_error" -> 401;
      case "billing_error" -> 402;
      case "permission_error" -> 403;
      case "not_found_error" -> 404;
      case "request_too_large" -> 413;
      case "rate_limit_error" -> 429;
      case "timeout_error" -> 504;
      case "overloaded_error" -> 529;
      // api_error and types added later: the provider failed, which is worth another try.
      default -> 500;
    };
  }

  static ApiException toException(String data, Map<String, String> responseHeaders) {
    ErrorBody body = ErrorBody.parse(Buffer.buffer(data));
    return ApiException.of(statusOf(body.type()), body, responseHeaders, null);
  }
}
