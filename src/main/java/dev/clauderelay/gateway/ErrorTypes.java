package dev.clauderelay.gateway;

/** The Anthropic {@code error.type} that goes with an HTTP status, for errors the gateway words. */
final class ErrorTypes {
  static final String INVALID_REQUEST = "invalid_request_error";
  static final String AUTHENTICATION = "authentication_error";
  static final String NOT_FOUND = "not_found_error";
  static final String REQUEST_TOO_LARGE = "request_too_large";
  static final String RATE_LIMIT = "rate_limit_error";
  static final String API = "api_error";
  static final String TIMEOUT = "timeout_error";
  static final String OVERLOADED = "overloaded_error";

  private ErrorTypes() {}

  static String forStatus(int status) {
    return switch (status) {
      case 401 -> AUTHENTICATION;
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404, 405 -> NOT_FOUND;
      case 408, 504 -> TIMEOUT;
      case 413 -> REQUEST_TOO_LARGE;
      case 429 -> RATE_LIMIT;
      case 529 -> OVERLOADED;
      default -> status >= 500 ? API : INVALID_REQUEST;
    };
  }
}
