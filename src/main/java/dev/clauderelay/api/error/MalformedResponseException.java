package dev.clauderelay.api.error;

/** A 2xx answer whose body is not what the API promises (not JSON, wrong shape). */
public final class MalformedResponseException extends ClaudeException {
  private final String requestId;

  public MalformedResponseException(String message, String requestId, Throwable cause) {
    super(requestId == null ? message : message + " [request-id " + requestId + "]", cause);
    this.requestId = requestId;
  }

  @Override
  public String requestId() {
    return requestId;
  }
}
