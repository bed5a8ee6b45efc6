package dev.clauderelay.api.error;

import dev.clauderelay.api.ErrorBody;
import java.time.Duration;
import java.util.Map;

/** 400 invalid_request_error or 422: the request is wrong; never retried. */
public final class BadRequestException extends ApiException {
  public BadRequestException(
      int status, ErrorBody body, Map<String, String> headers, Duration retryAfter) {
    super(status, body, headers, retryAfter);
  }
}
