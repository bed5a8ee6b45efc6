package dev.clauderelay.api.error;

/**
 * The relay itself answers a call with an error of its own: the degradation chain ran out (503,
 * with when to retry), or a request conflicts with one it already holds (an {@code idempotency-key}
 * reused with a different body: 422). Adapters answer it with {@link #status()} and Anthropic error
 * JSON of {@link #errorType()}; the cause, when there is one, is the last upstream failure.
 */
public final class RelayRefusalException extends ClaudeException {
  private final int status;
  private final String errorType;
  private final long retryAfterSeconds;

  /**
   * @param status the HTTP status to answer
   * @param errorType Anthropic error type ({@code overloaded_error}, {@code api_error}, {@code
   *     invalid_request_error}, …)
   * @param retryAfterSeconds when to retry, or 0 when retrying as is cannot help
   */
  public RelayRefusalException(
      int status, String errorType, String message, long retryAfterSeconds, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorType = errorType;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int status() {
    return status;
  }

  public String errorType() {
    return errorType;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
