package dev.clauderelay.api.error;

import dev.clauderelay.api.ErrorBody;
import java.time.Duration;
import java.util.Map;

/** 429 rate_limit_error: this key's budget is spent until its reset. */
public class RateLimitException extends ApiException {
  public RateLimitException(
      int status, ErrorBody body, Map<String, String> headers, Duration retryAfter) {
    super(status, body, headers, retryAfter);
  }
}
