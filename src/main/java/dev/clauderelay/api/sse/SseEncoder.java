package dev.clauderelay.api.sse;

import dev.clauderelay.api.StreamEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Writes a {@link StreamEvent} as the API sends it: {@code event: <type>\ndata: <json>\n\n}, the
 * JSON on one line with {@code type} first. Shared by whoever writes SSE (the gateway forwarding a
 * stream, a cached answer replayed as a synthetic stream); {@link SseDecoder} reads it back.
 */
public final class SseEncoder {
  private SseEncoder() {}

  public static Buffer encode(StreamEvent event) {
    return Buffer.buffer(frame(event));
  }

  /** The frame as text; a compact JSON encoding has no line breaks, so one data line suffices. */
  public static String frame(StreamEvent event) {
    JsonObject data = event.data();
    JsonObject ordered = data;
    if (!event.type().equals(data.getValue("type"))) {
      // Clients dispatch on the JSON's type as much as on the event name: keep them in step.
      ordered = new JsonObject().put("type", event.type());
      for (var entry : data) {
        if (!"type".equals(entry.getKey())) {
          ordered.put(entry.getKey(), entry.getValue());
        }
      }
    }
    return "event: " + event.type() + "\ndata: " + ordered.encode() + "\n\n";
  }
}
