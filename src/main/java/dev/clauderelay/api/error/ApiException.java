package dev.clauderelay.api.error;

import dev.clauderelay.api.ErrorBody;
import java.time.Duration;
import java.util.Map;

/** The upstream answered with an error status. Subclasses name the common statuses. */
public class ApiException extends ClaudeException {
  private final int status;
  private final ErrorBody body;
  private final Map<String, String> headers;
  private final Duration retryAfter;

  public ApiException(
      int status, ErrorBody body, Map<String, String> headers, Duration retryAfter) {
    super(describe(status, body, headers), null);
    this.status = status;
    this.body = body;
    this.headers = headers == null ? Map.of() : Map.copyOf(headers);
    this.retryAfter = retryAfter;
  }

  /** Picks the subclass for a status (and, for 429, the spend-limit error code). */
  public static ApiException of(
      int status, ErrorBody body, Map<String, String> headers, Duration retryAfter) {
    return switch (status) {
      case 400, 422 -> new BadRequestException(status, body, headers, retryAfter);
      case 401 -> new AuthenticationException(status, body, headers, retryAfter);
      case 403 -> new PermissionDeniedException(status, body, headers, retryAfter);
      case 404 -> new NotFoundException(status, body, headers, retryAfter);
      case 413 -> new RequestTooLargeException(status, body, headers, retryAfter);
      case 429 ->
          SpendLimitReachedException.CODE.equals(body == null ? null : body.errorCode())
              ? new SpendLimitReachedException(status, body, headers, retryAfter)
              : new RateLimitException(status, body, headers, retryAfter);
      case 529 -> new OverloadedException(status, body, headers, retryAfter);
      default ->
          status >= 500
              ? new ServerErrorException(status, body, headers, retryAfter)
              : new ApiException(status, body, headers, retryAfter);
    };
  }

  public int status() {
    return status;
  }

  /** {@code error.type} as sent (unknown values kept), or {@code null} for a non-JSON body. */
  public String errorType() {
    return body == null ? null : body.type();
  }

  public ErrorBody body() {
    return body;
  }

  /** Response headers, names in lower case. */
  public Map<String, String> headers() {
    return headers;
  }

  public String header(String name) {
    return headers.get(name.toLowerCase(java.util.Locale.ROOT));
  }

  /** The wait the upstream asked for ({@code retry-after-ms} / {@code retry-after}), or null. */
  public Duration retryAfter() {
    return retryAfter;
  }

  @Override
  public String requestId() {
    String id = headers.get("request-id");
    return id != null ? id : body == null ? null : body.requestId();
  }

  private static String describe(int status, ErrorBody body, Map<String, String> headers) {
    StringBuilder sb = new StringBuilder().append(status);
    if (body != null && body.type() != null) {
      sb.append(' ').append(body.type());
    }
    if (body != null && body.message() != null) {
      sb.append(": ").append(body.message());
    } else if (body != null && body.raw() != null && !body.raw().isBlank()) {
      sb.append(": non-JSON body: ").append(body.raw().strip());
    }
    String id = headers == null ? null : headers.get("request-id");
    if (id == null && body != null) {
      id = body.requestId();
    }
    if (id != null) {
      sb.append(" [request-id ").append(id).append(']');
    }
    return sb.toString();
  }
}
