package dev.clauderelay.api.error;

import dev.clauderelay.api.ErrorBody;
import java.time.Duration;
import java.util.Map;

/** 404 not_found_error: often a wrong base URL path such as /v1/v1/messages. */
public final class NotFoundException extends ApiException {
  public NotFoundException(
      int status, ErrorBody body, Map<String, String> headers, Duration retryAfter) {
    super(status, body, headers, retryAfter);
  }
}
