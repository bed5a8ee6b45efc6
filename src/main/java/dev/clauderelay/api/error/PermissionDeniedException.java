package dev.clauderelay.api.error;

import dev.clauderelay.api.ErrorBody;
import java.time.Duration;
import java.util.Map;

/** 403 permission_error: the key may not use this resource; never retried. */
public final class PermissionDeniedException extends ApiException {
  public PermissionDeniedException(
      int status, ErrorBody body, Map<String, String> headers, Duration retryAfter) {
    super(status, body, headers, retryAfter);
  }
}
