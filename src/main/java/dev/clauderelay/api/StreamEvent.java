package dev.clauderelay.api;

import io.vertx.core.json.JsonObject;

/**
 * One server-sent event of a streamed message: its name ({@code message_start}, {@code
 * content_block_delta}, … or a name the API adds later) and its JSON data, kept whole.
 */
public record StreamEvent(String type, JsonObject data) {
  public StreamEvent {
    if (type == null || type.isEmpty()) {
      throw new IllegalArgumentException("stream event type is empty");
    }
    data = data == null ? new JsonObject() : data;
  }
}
