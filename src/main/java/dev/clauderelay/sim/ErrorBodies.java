package dev.clauderelay.sim;

import io.vertx.core.json.JsonObject;

/** Anthropic error bodies and the {@code error.type} the real API uses for each status. */
final class ErrorBodies {

  private ErrorBodies() {}

  static JsonObject body(String type, String message, String requestId) {
    return new JsonObject()
        .put("type", "error")
        .put("error", new JsonObject().put("type", type).put("message", message))
        .put("request_id", requestId);
  }

  static String typeFor(int status) {
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      case 529 -> "overloaded_error";
      default -> status < 500 ? "invalid_request_error" : "api_error";
    };
  }

  static String messageFor(int status) {
    return switch (status) {
      case 401 -> "invalid x-api-key";
      case 402 -> "Your credit balance is too low to access the Anthropic API.";
      case 403 -> "Your API key does not have permission to use the specified resource.";
      case 404 -> "Not found";
      case 413 -> "Request exceeds the maximum allowed number of bytes.";
      case 429 -> "Number of requests has exceeded your rate limit.";
      case 500 -> "Internal server error";
      case 504 -> "Request timed out";
      case 529 -> "Overloaded";
      default -> "Simulated error (HTTP " + status + ")";
    };
  }
}
