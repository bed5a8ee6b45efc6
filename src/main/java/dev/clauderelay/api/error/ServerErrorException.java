package dev.clauderelay.api.error;

import dev.clauderelay.api.ErrorBody;
import java.time.Duration;
import java.util.Map;

/** 5xx other than 529 (api_error, timeout_error, a proxy's 502…). */
public final class ServerErrorException extends ApiException {
  public ServerErrorException(
      int status, ErrorBody body, Map<String, String> headers, Duration retryAfter) {
    super(status, body, headers, retryAfter);
  }
}
