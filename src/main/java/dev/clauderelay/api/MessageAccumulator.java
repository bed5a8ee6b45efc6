package dev.clauderelay.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the final {@link Message} from stream events: text deltas, {@code tool_use} input from
 * {@code input_json_delta} (parsed at block stop, empty meaning {@code {}}), thinking with its
 * signature, citations, and the cumulative usage of {@code message_delta}. Unknown events and delta
 * types are ignored, never fatal. At any point {@link #snapshot()} is the partial message.
 */
public final class MessageAccumulator {
  private JsonObject message;
  private final Map<Integer, StringBuilder> partialJson = new HashMap<>();
  private final Map<Integer, StringBuilder> text = new HashMap<>();
  private final Map<Integer, StringBuilder> thinking = new HashMap<>();
  private boolean stopped;
  private long events;

  public void accept(StreamEvent event) {
    events++;
    JsonObject data = event.data();
    switch (event.type()) {
      case "message_start" -> {
        Object m = data.getValue("message");
        message = m instanceof JsonObject start ? start.copy() : new JsonObject();
        if (!(message.getValue("content") instanceof JsonArray)) {
          message.put("content", new JsonArray());
        }
      }
      case "content_block_start" -> {
        int index = index(data);
        Object b = data.getValue("content_block");
        JsonObject block = b instanceof JsonObject start ? start.copy() : new JsonObject();
        JsonArray content = content();
        while (content.size() <= index) {
          content.add(new JsonObject());
        }
        content.set(index, block);
      }
      case "content_block_delta" -> delta(index(data), data.getValue("delta"));
      case "content_block_stop" -> stopBlock(index(data));
      case "message_delta" -> {
        JsonObject m = ensureMessage();
        if (data.getValue("delta") instanceof JsonObject delta) {
          for (String key : delta.fieldNames()) {
            m.put(key, delta.getValue(key));
          }
        }
        if (data.getValue("usage") instanceof JsonObject usage) {
          JsonObject merged =
              m.getValue("usage") instanceof JsonObject u ? u.copy() : new JsonObject();
          merged.mergeIn(usage);
          m.put("usage", merged);
        }
      }
      case "message_stop" -> stopped = true;
      default -> {
        // ping, error and event types the API adds later change nothing here.
      }
    }
  }

  /** True once {@code message_stop} was seen: the message is complete. */
  public boolean isComplete() {
    return stopped;
  }

  public long events() {
    return events;
  }

  /** The message as built so far (a copy, with text and thinking flushed into their blocks). */
  public Message snapshot() {
    JsonObject m = ensureMessage().copy();
    JsonArray content = m.getJsonArray("content");
    for (int i = 0; i < content.size(); i++) {
      if (content.getValue(i) instanceof JsonObject block) {
        flush(block, i);
      }
    }
    return new Message(m);
  }

  /** Text of the block at {@code index} so far, or null when it is not a text block. */
  public String textOf(int index) {
    StringBuilder sb = text.get(index);
    return sb == null ? null : sb.toString();
  }

  private void delta(int index, Object raw) {
    if (!(raw instanceof JsonObject delta)) {
      return;
    }
    JsonObject block = block(index);
    switch (String.valueOf(delta.getValue("type"))) {
      case "text_delta" -> builder(text, index, block, "text").append(str(delta, "text"));
      case "input_json_delta" ->
          partialJson
              .computeIfAbsent(index, i -> new StringBuilder())
              .append(str(delta, "partial_json"));
      case "thinking_delta" ->
          builder(thinking, index, block, "thinking").append(str(delta, "thinking"));
      case "signature_delta" -> block.put("signature", str(delta, "signature"));
      case "citations_delta" -> {
        JsonArray citations =
            block.getValue("citations") instanceof JsonArray c ? c : new JsonArray();
        citations.add(delta.getValue("citation"));
        block.put("citations", citations);
      }
      default -> {
        // A delta type added later: kept out of the message rather than guessed at.
      }
    }
  }

  private void stopBlock(int index) {
    JsonObject block = block(index);
    flush(block, index);
    StringBuilder json = partialJson.remove(index);
    if (json != null) {
      String s = json.toString().trim();
      try {
        block.put("input", s.isEmpty() ? new JsonObject() : new JsonObject(s));
      } catch (DecodeException | ClassCastException bad) {
        // Keep what came rather than lose it; the caller sees the raw partial JSON.
        block.put("input", new JsonObject().put("_partial_json", s));
      }
    }
  }

  private void flush(JsonObject block, int index) {
    StringBuilder t = text.get(index);
    if (t != null) {
      block.put("text", t.toString());
    }
    StringBuilder th = thinking.get(index);
    if (th != null) {
      block.put("thinking", th.toString());
    }
  }

  private static StringBuilder builder(
      Map<Integer, StringBuilder> map, int index, JsonObject block, String field) {
    return map.computeIfAbsent(
        index, i -> new StringBuilder(block.getValue(field) instanceof String s ? s : ""));
  }

  private JsonObject block(int index) {
    JsonArray content = content();
    while (content.size() <= index) {
      content.add(new JsonObject());
    }
    return content.getJsonObject(index);
  }

  private JsonArray content() {
    return ensureMessage().getJsonArray("content");
  }

  private JsonObject ensureMessage() {
    if (message == null) {
      message = new JsonObject().put("content", new JsonArray());
    }
    return message;
  }

  private static int index(JsonObject data) {
    return data.getValue("index") instanceof Number n ? n.intValue() : 0;
  }

  private static String str(JsonObject o, String key) {
    return o.getValue(key) instanceof String s ? s : "";
  }
}
