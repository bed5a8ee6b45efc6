package dev.clauderelay.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Request validation with the real API's wording ({@code "max_tokens: Field required"}), so clients
 * see the same 400 {@code invalid_request_error} messages as in production. Only the fields the
 * simulator needs are checked; unknown fields are accepted, as Anthropic accepts new ones.
 */
final class RequestCheck {

  static final String NOT_JSON = "There was an error parsing the body as JSON";

  private RequestCheck() {}

  /** The body as a JSON object, or {@code null} when it is not one. */
  static JsonObject parseObject(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      Object value = Json.decodeValue(body);
      return value instanceof JsonObject json ? json : null;
    } catch (DecodeException e) {
      return null;
    }
  }

  /** What is wrong with a {@code POST /v1/messages} body, or {@code null} when it is usable. */
  static String messagesProblem(JsonObject body) {
    String problem = modelProblem(body);
    if (problem == null) {
      problem = maxTokensProblem(body.getValue("max_tokens"));
    }
    if (problem == null) {
      problem = messagesListProblem(body.getValue("messages"));
    }
    if (problem == null
        && body.containsKey("stream")
        && !(body.getValue("stream") instanceof Boolean)) {
      problem = "stream: Input should be a valid boolean";
    }
    if (problem == null) {
      problem = systemProblem(body.getValue("system"));
    }
    return problem;
  }

  /** What is wrong with a {@code POST /v1/messages/count_tokens} body, or {@code null}. */
  static String countTokensProblem(JsonObject body) {
    String problem = modelProblem(body);
    if (problem == null) {
      problem = messagesListProblem(body.getValue("messages"));
    }
    if (problem == null) {
      problem = systemProblem(body.getValue("system"));
    }
    return problem;
  }

  private static String modelProblem(JsonObject body) {
    Object model = body.getValue("model");
    if (model == null) {
      return "model: Field required";
    }
    if (!(model instanceof String s) || s.isBlank()) {
      return "model: Input should be a valid, non-empty string";
    }
    return null;
  }

  private static String maxTokensProblem(Object maxTokens) {
    if (maxTokens == null) {
      return "max_tokens: Field required";
    }
    if (!(maxTokens instanceof Integer || maxTokens instanceof Long)) {
      return "max_tokens: Input should be a valid integer";
    }
    if (((Number) maxTokens).longValue() < 1) {
      return "max_tokens: Input should be greater than or equal to 1";
    }
    return null;
  }

  private static String messagesListProblem(Object messages) {
    if (messages == null) {
      return "messages: Field required";
    }
    if (!(messages instanceof JsonArray list)) {
      return "messages: Input should be a valid list";
    }
    if (list.isEmpty()) {
      return "messages: at least one message is required";
    }
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject message)) {
        return "messages." + i + ": Input should be a valid dictionary";
      }
      Object role = message.getValue("role");
      if (!"user".equals(role) && !"assistant".equals(role)) {
        return "messages." + i + ".role: Input should be 'user' or 'assistant'";
      }
      Object content = message.getValue("content");
      if (content == null) {
        return "messages." + i + ".content: Field required";
      }
      if (!(content instanceof String || content instanceof JsonArray)) {
        return "messages." + i + ".content: Input should be a valid string or list";
      }
    }
    return null;
  }

  private static String systemProblem(Object system) {
    if (system != null && !(system instanceof String || system instanceof JsonArray)) {
      return "system: Input should be a valid string or list";
    }
    return null;
  }
}
