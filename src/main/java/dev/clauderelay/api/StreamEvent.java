package dev.clauderelay.api;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One server-sent event of a streamed message: its name ({@code message_start}, {@code
 * content_block_delta}, … or a name the API adds later) and its JSON data, kept whole.
 *
 * <p>{@code wire} is the data's JSON text exactly as the upstream sent it (one line), or null for
 * an event built here (a cache replay, a local model's translation, a spliced resume). An adapter
 * that relays events sends it as it came rather than encoding {@code data} again ({@link #json()}),
 * so what reaches a client is byte for byte what Anthropic sent. The two describe the same event:
 * code that changes an event's data makes a new {@code StreamEvent} (without {@code wire}) instead
 * of changing {@code data} in place. Equality looks at {@code type} and {@code data} only.
 */
public record StreamEvent(String type, JsonObject data, String wire) {
  public StreamEvent {
    if (type == null || type.isEmpty()) {
      throw new IllegalArgumentException("stream event type is empty");
    }
    data = data == null ? new JsonObject() : data;
    if (wire != null && (wire.indexOf('\n') >= 0 || wire.indexOf('\r') >= 0)) {
      // A multi-line data field cannot be sent back as one "data:" line.
      wire = null;
    }
  }

  /** An event built here rather than read off the wire. */
  public StreamEvent(String type, JsonObject data) {
    this(type, data, null);
  }

  /** The data as JSON text: as it came when it came from upstream, else encoded. */
  public String json() {
    return wire != null ? wire : data.encode();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StreamEvent e && type.equals(e.type) && data.equals(e.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, data);
  }

  @Override
  public String toString() {
    return "StreamEvent[type=" + type + ", data=" + data.encode() + "]";
  }
}
