package dev.clauderelay.engine;

import dev.clauderelay.api.StreamEvent;
import io.vertx.core.json.JsonObject;

/**
 * Makes a continuation stream look like the rest of the interrupted one: its {@code message_start}
 * and its first text block's start are swallowed (the consumer is already inside that block), its
 * block indexes are shifted onto the open block, whitespace cut from the prefill is not repeated,
 * and its usage is added to what the first stream had used, so the final usage is what both calls
 * cost together.
 */
final class StreamSplice {
  private final int openIndex;
  private final long baseInput;
  private final long baseOutput;
  private String pendingStrip;
  private int offset = -1;
  private long continuationInput;

  StreamSplice(int openIndex, String strippedSuffix, long baseInput, long baseOutput) {
    this.openIndex = openIndex;
    this.pendingStrip = strippedSuffix;
    this.baseInput = baseInput;
    this.baseOutput = baseOutput;
  }

  /** The event to deliver instead of {@code event}, or null to swallow it. */
  StreamEvent map(StreamEvent event) {
    JsonObject data = event.data().copy();
    switch (event.type()) {
      case "message_start" -> {
        if (data.getValue("message") instanceof JsonObject m
            && m.getValue("usage") instanceof JsonObject u) {
          continuationInput = u.getLong("input_tokens", 0L);
        }
        return null;
      }
      case "content_block_start" -> {
        int index = data.getInteger("index", 0);
        if (offset < 0) {
          boolean text =
              data.getValue("content_block") instanceof JsonObject b
                  && "text".equals(b.getString("type"));
          offset = text ? openIndex : openIndex + 1;
          if (text && index == 0) {
            return null;
          }
        }
        data.put("index", index + offset);
      }
      case "content_block_delta", "content_block_stop" -> {
        int index = data.getInteger("index", 0);
        data.put("index", index + Math.max(offset, openIndex));
        if (index == 0 && offset == openIndex && !stripped(data)) {
          return null;
        }
      }
      case "message_delta" -> {
        if (data.getValue("usage") instanceof JsonObject usage) {
          JsonObject sum = usage.copy();
          sum.put("output_tokens", baseOutput + usage.getLong("output_tokens", 0L));
          long in =
              usage.getValue("input_tokens") instanceof Number n
                  ? n.longValue()
                  : continuationInput;
          sum.put("input_tokens", baseInput + in);
          data.put("usage", sum);
        }
      }
      default -> {
        // message_stop and event types added later pass unchanged.
      }
    }
    return new StreamEvent(event.type(), data);
  }

  /** Drops the prefill's cut whitespace from the first deltas; false when nothing is left. */
  private boolean stripped(JsonObject data) {
    if (pendingStrip.isEmpty() || !(data.getValue("delta") instanceof JsonObject delta)) {
      return true;
    }
    String text = delta.getString("text");
    if (text == null) {
      return true;
    }
    int common = 0;
    while (common < text.length()
        && common < pendingStrip.length()
        && text.charAt(common) == pendingStrip.charAt(common)) {
      common++;
    }
    if (common == 0) {
      pendingStrip = "";
      return true;
    }
    pendingStrip = pendingStrip.substring(common);
    String rest = text.substring(common);
    data.put("delta", delta.copy().put("text", rest));
    return !rest.isEmpty();
  }
}
