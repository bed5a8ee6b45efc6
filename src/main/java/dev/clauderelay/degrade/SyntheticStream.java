package dev.clauderelay.degrade;

import dev.clauderelay.api.Message;
import dev.clauderelay.api.StreamEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A finished {@link Message} as the stream of events the API would have sent for it, so a cached
 * (or local-model) answer can be served to a client that asked for {@code "stream": true}:
 *
 * <pre>
 * message_start        (the message with empty content, no stop reason, output_tokens 0)
 * per block i:
 *   content_block_start  (the block with its streamed fields emptied)
 *   content_block_delta  text_delta | input_json_delta | thinking_delta + signature_delta
 *                        | citations_delta per citation
 *   content_block_stop
 * message_delta        (stop_reason, stop_sequence, the whole usage)
 * message_stop
 * </pre>
 *
 * A block type without a delta form ({@code redacted_thinking}, tool results, types added later) is
 * sent whole in its {@code content_block_start}, as the API does. Folding the events with {@code
 * MessageAccumulator} gives the message back.
 */
public final class SyntheticStream {
  private SyntheticStream() {}

  public static List<StreamEvent> of(Message message) {
    JsonObject m = message.toJson();
    List<StreamEvent> events = new ArrayList<>();
    events.add(event("message_start", new JsonObject().put("message", startMessage(m))));
    JsonArray content = m.getValue("content") instanceof JsonArray a ? a : new JsonArray();
    for (int i = 0; i < content.size(); i++) {
      if (content.getValue(i) instanceof JsonObject block) {
        block(i, block, events);
      }
    }
    JsonObject delta = new JsonObject().put("stop_reason", m.getValue("stop_reason"));
    if (m.containsKey("stop_sequence")) {
      delta.put("stop_sequence", m.getValue("stop_sequence"));
    }
    JsonObject messageDelta = new JsonObject().put("delta", delta);
    if (m.getValue("usage") instanceof JsonObject usage) {
      messageDelta.put("usage", usage.copy());
    }
    events.add(event("message_delta", messageDelta));
    events.add(event("message_stop", new JsonObject()));
    return events;
  }

  private static JsonObject startMessage(JsonObject m) {
    JsonObject start = m.copy();
    start.put("content", new JsonArray());
    start.put("stop_reason", null);
    if (start.containsKey("stop_sequence")) {
      start.put("stop_sequence", null);
    }
    if (start.getValue("usage") instanceof JsonObject usage) {
      // Output is counted as it streams; the final count comes in message_delta.
      start.put("usage", usage.copy().put("output_tokens", 0));
    }
    return start;
  }

  private static void block(int index, JsonObject block, List<StreamEvent> events) {
    JsonObject start = block.copy();
    List<JsonObject> deltas = new ArrayList<>();
    String type = String.valueOf(block.getValue("type"));
    if (type.equals("text")) {
      start.put("text", "");
      addText(deltas, "text_delta", "text", block.getValue("text"));
      if (block.getValue("citations") instanceof JsonArray citations) {
        start.remove("citations");
        for (Object citation : citations) {
          deltas.add(new JsonObject().put("type", "citations_delta").put("citation", citation));
        }
      }
    } else if (type.equals("thinking")) {
      start.put("thinking", "");
      start.remove("signature");
      addText(deltas, "thinking_delta", "thinking", block.getValue("thinking"));
      if (block.getValue("signature") instanceof String signature) {
        deltas.add(new JsonObject().put("type", "signature_delta").put("signature", signature));
      }
    } else if (type.endsWith("tool_use") && block.getValue("input") instanceof JsonObject input) {
      // tool_use, server_tool_use, mcp_tool_use: the input arrives as JSON text in pieces.
      start.put("input", new JsonObject());
      deltas.add(
          new JsonObject().put("type", "input_json_delta").put("partial_json", input.encode()));
    }
    events.add(
        event(
            "content_block_start",
            new JsonObject().put("index", index).put("content_block", start)));
    for (JsonObject delta : deltas) {
      events.add(
          event("content_block_delta", new JsonObject().put("index", index).put("delta", delta)));
    }
    events.add(event("content_block_stop", new JsonObject().put("index", index)));
  }

  private static void addText(List<JsonObject> deltas, String deltaType, String field, Object v) {
    if (v instanceof String s && !s.isEmpty()) {
      deltas.add(new JsonObject().put("type", deltaType).put(field, s));
    }
  }

  private static StreamEvent event(String type, JsonObject data) {
    JsonObject ordered = new JsonObject().put("type", type);
    data.forEach(e -> ordered.put(e.getKey(), e.getValue()));
    return new StreamEvent(type, ordered);
  }
}
