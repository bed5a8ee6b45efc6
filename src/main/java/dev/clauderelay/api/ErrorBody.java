package dev.clauderelay.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The Anthropic error body {@code {"type":"error","error":{"type","message",…},"request_id"}}.
 * Unknown {@code error.type} values are kept as they are. A body that is not that JSON (a CDN's
 * HTML 413, a proxy's 502 page) is kept as raw text so nothing the upstream said is lost.
 */
public record ErrorBody(
    String type, String message, String requestId, JsonObject json, String raw) {

  private static final int RAW_LIMIT = 512;

  /** Parses an upstream body; never throws. */
  public static ErrorBody parse(Buffer body) {
    String text = body == null ? "" : body.toString();
    try {
      JsonObject root = new JsonObject(text);
      Object error = root.getValue("error");
      if (error instanceof JsonObject e) {
        return new ErrorBody(
            asString(e.getValue("type")),
            asString(e.getValue("message")),
            asString(root.getValue("request_id")),
            root,
            null);
      }
      return new ErrorBody(null, null, asString(root.getValue("request_id")), root, null);
    } catch (DecodeException | ClassCastException notJson) {
      String raw = text.length() > RAW_LIMIT ? text.substring(0, RAW_LIMIT) + "…" : text;
      return new ErrorBody(null, null, null, null, raw);
    }
  }

  /** Builds the wire JSON of an error, as the gateway and the simulator send it. */
  public static JsonObject toWire(String type, String message, String requestId) {
    JsonObject body =
        new JsonObject()
            .put("type", "error")
            .put("error", new JsonObject().put("type", type).put("message", message));
    if (requestId != null) {
      body.put("request_id", requestId);
    }
    return body;
  }

  /** {@code error.details.error_code}, e.g. {@code enforced_spend_limit_reached}; else null. */
  public String errorCode() {
    if (json == null || !(json.getValue("error") instanceof JsonObject e)) {
      return null;
    }
    Object details = e.getValue("details");
    return details instanceof JsonObject d ? asString(d.getValue("error_code")) : null;
  }

  private static String asString(Object o) {
    return o instanceof String s ? s : null;
  }
}
