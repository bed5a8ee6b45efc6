package dev.clauderelay.client;

import dev.clauderelay.api.error.InvalidRequestException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** What is checked before a request goes upstream, so a bad one costs no round trip. */
final class RequestChecks {
  private RequestChecks() {}

  static void message(JsonObject request, boolean streaming) {
    if (request == null) {
      throw new InvalidRequestException("request body is missing");
    }
    if (!(request.getValue("model") instanceof String model) || model.isBlank()) {
      throw new InvalidRequestException("model: a non-empty string is required");
    }
    Object maxTokens = request.getValue("max_tokens");
    if (!(maxTokens instanceof Number n)
        || n.doubleValue() != Math.rint(n.doubleValue())
        || n.longValue() < 1) {
      throw new InvalidRequestException(
          "max_tokens: a positive integer is required, got " + maxTokens);
    }
    if (!(request.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
      throw new InvalidRequestException("messages: a non-empty array is required");
    }
    Object stream = request.getValue("stream");
    if (stream != null && !(stream instanceof Boolean)) {
      throw new InvalidRequestException("stream: must be a boolean, got " + stream);
    }
    if (!streaming && Boolean.TRUE.equals(stream)) {
      throw new InvalidRequestException(
          "stream: true is not accepted by messages(); use stream() for server-sent events");
    }
  }

  static void countTokens(JsonObject request) {
    if (request == null) {
      throw new InvalidRequestException("request body is missing");
    }
    if (!(request.getValue("model") instanceof String model) || model.isBlank()) {
      throw new InvalidRequestException("model: a non-empty string is required");
    }
    if (!(request.getValue("messages") instanceof JsonArray)) {
      throw new InvalidRequestException("messages: an array is required");
    }
  }
}
