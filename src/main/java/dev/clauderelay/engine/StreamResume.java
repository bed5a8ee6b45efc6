package dev.clauderelay.engine;

import dev.clauderelay.api.ContentBlock;
import dev.clauderelay.api.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Builds the request that continues a stream cut inside a text block (the docs' advice): the
 * partial text as a prefilled assistant turn, or, where prefill is not accepted (extended
 * thinking), an assistant turn plus a user turn asking to continue. Pure.
 *
 * <p>Only plain text can be resumed: a cut inside thinking or tool use, or after a non-text block,
 * is not (a signature or a tool's JSON cannot be continued halfway).
 */
final class StreamResume {
  static final String CONTINUE_PROMPT =
      "Continue exactly where your previous message stopped, without repeating anything.";

  /** The continuation's body and the whitespace cut from the prefill (the API refuses it). */
  record Plan(JsonObject body, String strippedSuffix, boolean prefill) {}

  private StreamResume() {}

  /**
   * @return null when the partial message cannot be resumed
   */
  static Plan plan(JsonObject original, Message partial) {
    List<ContentBlock> blocks = partial.content();
    if (original == null || blocks.isEmpty() || !blocks.stream().allMatch(ContentBlock::isText)) {
      return null;
    }
    if (!(original.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
      return null;
    }
    String text = partial.text();
    String trimmed = text.stripTrailing();
    if (trimmed.isEmpty()) {
      return null;
    }
    JsonObject body = original.copy();
    JsonArray next = messages.copy();
    boolean thinking =
        original.getValue("thinking") instanceof JsonObject t
            && !"disabled".equals(t.getString("type"));
    JsonObject last = next.getJsonObject(next.size() - 1);
    String priorPrefill = "";
    if ("assistant".equals(last.getString("role"))) {
      if (!(last.getValue("content") instanceof String s)) {
        return null;
      }
      priorPrefill = s;
      next.remove(next.size() - 1);
    }
    next.add(new JsonObject().put("role", "assistant").put("content", priorPrefill + trimmed));
    if (thinking) {
      next.add(new JsonObject().put("role", "user").put("content", CONTINUE_PROMPT));
    }
    body.put("messages", next);
    return new Plan(body, text.substring(trimmed.length()), !thinking);
  }
}
