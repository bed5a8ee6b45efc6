package dev.clauderelay.engine;

import dev.clauderelay.api.error.ApiException;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.api.error.ConnectionException;
import dev.clauderelay.api.error.SpendLimitReachedException;
import java.util.Locale;

/**
 * Whether a failed attempt may be tried again. Pure: it looks only at what the failure carries.
 *
 * <p>Order (DESIGN.md "Retry decision"): {@code x-should-retry} decides when present; else 408,
 * 409, 429 and 5xx (529 included), connection failures and timeouts before any response byte are
 * retried; everything else, and a 429 whose error code is {@code enforced_spend_limit_reached}, is
 * final.
 */
public final class RetryDecision {

  /** Retry or not, and a short reason usable as a metric label. */
  public record Outcome(boolean retry, String reason) {
    static Outcome retry(String reason) {
      return new Outcome(true, reason);
    }

    static Outcome fin(String reason) {
      return new Outcome(false, reason);
    }
  }

  private RetryDecision() {}

  /**
   * Decision for an error response.
   *
   * @param status HTTP status
   * @param shouldRetryHeader value of {@code x-should-retry}, or null
   * @param errorCode {@code error.details.error_code} of the body, or null
   */
  public static Outcome forResponse(int status, String shouldRetryHeader, String errorCode) {
    if (shouldRetryHeader != null) {
      String v = shouldRetryHeader.trim().toLowerCase(Locale.ROOT);
      if (v.equals("true")) {
        return Outcome.retry("should_retry_header");
      }
      if (v.equals("false")) {
        return Outcome.fin("should_not_retry_header");
      }
    }
    if (status == 429) {
      return SpendLimitReachedException.CODE.equals(errorCode)
          ? Outcome.fin("spend_limit")
          : Outcome.retry("rate_limited");
    }
    if (status == 529) {
      return Outcome.retry("overloaded");
    }
    if (status >= 500) {
      return Outcome.retry("server_error");
    }
    if (status == 408) {
      return Outcome.retry("request_timeout");
    }
    if (status == 409) {
      return Outcome.retry("conflict");
    }
    return Outcome.fin("client_error");
  }

  /** Decision for any failure of an attempt. */
  public static Outcome forFailure(Throwable failure) {
    if (failure instanceof ApiException api) {
      String code = api.body() == null ? null : api.body().errorCode();
      return forResponse(api.status(), api.header("x-should-retry"), code);
    }
    if (failure instanceof ConnectionException conn) {
      // A certificate problem does not go away by asking again; doctor explains it.
      return conn.kind() == ConnectionException.Kind.TLS
          ? Outcome.fin("tls")
          : Outcome.retry("connection");
    }
    if (failure instanceof ClaudeTimeoutException timeout) {
      return switch (timeout.phase()) {
        case CONNECT, RESPONSE_HEADERS -> Outcome.retry("timeout");
        case BODY -> Outcome.fin("timeout_after_response");
        case DEADLINE -> Outcome.fin("deadline");
      };
    }
    return Outcome.fin("not_retryable");
  }
}
