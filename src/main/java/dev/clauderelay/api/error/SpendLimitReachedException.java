package dev.clauderelay.api.error;

import dev.clauderelay.api.ErrorBody;
import java.time.Duration;
import java.util.Map;

/**
 * A 429 whose {@code error.details.error_code} is {@code enforced_spend_limit_reached}: the monthly
 * spend cap is reached. Waiting does not help, so it is final.
 */
public final class SpendLimitReachedException extends RateLimitException {
  public static final String CODE = "enforced_spend_limit_reached";

  public SpendLimitReachedException(
      int status, ErrorBody body, Map<String, String> headers, Duration retryAfter) {
    super(status, body, headers, retryAfter);
  }
}
