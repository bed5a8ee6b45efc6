package dev.clauderelay.api.error;

import dev.clauderelay.api.ErrorBody;
import java.time.Duration;
import java.util.Map;

/** 413 request_too_large: the body may not be JSON (it can come from the CDN). */
public final class RequestTooLargeException extends ApiException {
  public RequestTooLargeException(
      int status, ErrorBody body, Map<String, String> headers, Duration retryAfter) {
    super(status, body, headers, retryAfter);
  }
}
