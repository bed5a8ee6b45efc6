package dev.clauderelay.api.error;

import dev.clauderelay.api.ErrorBody;
import java.time.Duration;
import java.util.Map;

/** 401 authentication_error: the key is invalid or revoked; never retried. */
public final class AuthenticationException extends ApiException {
  public AuthenticationException(
      int status, ErrorBody body, Map<String, String> headers, Duration retryAfter) {
    super(status, body, headers, retryAfter);
  }
}
