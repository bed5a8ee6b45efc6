package dev.clauderelay.gateway;

import com.fasterxml.jackson.core.JsonParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;

/**
 * Checks a request body before anything goes upstream, as the API would (400 {@code
 * invalid_request_error} naming the field), so that a bad request costs no upstream round trip.
 */
final class RequestBodies {
  private RequestBodies() {}

  /** A refused body; the message names the problem. */
  static final class Invalid extends Exception {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Jackson's streaming parser straight into maps and lists (the factory and result of {@code
   * Json.decodeValue}, without the data-binding layer); a duplicate key is an error.
   */
  static JsonObject parseObject(Buffer body) throws Invalid {
    if (body.length() == 0) {
      throw new Invalid("request body is empty: a JSON object is required");
    }
    Object value;
    try {
      // The body goes upstream as it came (docs/gateway.md, "Bytes on the wire"), so a key given
      // twice is refused: the relay would check one value and Anthropic might act on the other.
      JsonParser parser = JacksonCodec.createParser(body);
      parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      value = JacksonCodec.fromParser(parser, Object.class);
    } catch (DecodeException e) {
      throw new Invalid("request body is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (value instanceof JsonObject json) {
      return json;
    }
    throw new Invalid("request body must be a JSON object");
  }

  /** {@code POST /v1/messages}: model, max_tokens, messages, and a boolean stream if present. */
  static void checkMessage(JsonObject body) throws Invalid {
    checkModel(body);
    Object maxTokens = body.getValue("max_tokens");
    if (!(maxTokens instanceof Number n)
        || n.doubleValue() != Math.rint(n.doubleValue())
        || n.longValue() < 1) {
      throw new Invalid("max_tokens: Field required (a positive integer), got " + maxTokens);
    }
    if (!(body.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
      throw new Invalid("messages: Field required (a non-empty array)");
    }
    Object stream = body.getValue("stream");
    if (stream != null && !(stream instanceof Boolean)) {
      throw new Invalid("stream: Input should be a valid boolean, got " + stream);
    }
  }

  /** {@code POST /v1/messages/count_tokens}: model and messages. */
  static void checkCountTokens(JsonObject body) throws Invalid {
    checkModel(body);
    if (!(body.getValue("messages") instanceof JsonArray)) {
      throw new Invalid("messages: Field required (an array)");
    }
  }

  private static void checkModel(JsonObject body) throws Invalid {
    if (!(body.getValue("model") instanceof String model) || model.isBlank()) {
      throw new Invalid("model: Field required (a non-empty string)");
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
