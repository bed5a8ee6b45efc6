package dev.clauderelay.degrade;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.Set;

/**
 * An Anthropic Messages request as an OpenAI chat-completions request, for a local model. Text
 * only, on purpose: what is carried over is carried faithfully, and a request that cannot be (an
 * image, a document, a tool call or result in the history) is refused by {@link #unsupportedReason}
 * rather than sent with parts silently dropped.
 *
 * <p>Mapped: {@code system} (string or text blocks) → a leading {@code system} message; each
 * message's text (string, or its text blocks joined by a blank line) → {@code {role, content}};
 * {@code max_tokens}, {@code temperature}, {@code top_p}; {@code stop_sequences} → {@code stop};
 * {@code stream} (with {@code stream_options.include_usage} so the token counts come too). Thinking
 * blocks in the assistant's history are dropped: they are the other model's reasoning, not
 * conversation. Not mapped: {@code top_k} (not an OpenAI parameter), {@code tools}, {@code
 * tool_choice}, {@code thinking}, {@code metadata}.
 */
public final class AnthropicToOpenAi {
  /** Blocks that carry no conversation a local model needs (the assistant's earlier reasoning). */
  private static final Set<String> DROPPED_BLOCKS = Set.of("thinking", "redacted_thinking");

  private AnthropicToOpenAi() {}

  /**
   * Why this request cannot go to a local model, or empty when it can.
   *
   * <p>Tools offered but unused in the history are not a reason: the local model answers in text.
   * Tool calls or results in the history are: without them the conversation makes no sense.
   */
  public static Optional<String> unsupportedReason(JsonObject request) {
    if (!(request.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
      return Optional.of("request has no messages");
    }
    Object system = request.getValue("system");
    if (system != null && !(system instanceof String)) {
      if (!(system instanceof JsonArray blocks)) {
        return Optional.of("system is neither text nor blocks");
      }
      Optional<String> bad = unsupportedBlocks(blocks, "system");
      if (bad.isPresent()) {
        return bad;
      }
    }
    for (Object o : messages) {
      if (!(o instanceof JsonObject message)) {
        return Optional.of("a message is not an object");
      }
      Object role = message.getValue("role");
      if (!"user".equals(role) && !"assistant".equals(role)) {
        return Optional.of("message role " + role + " is not user or assistant");
      }
      Object content = message.getValue("content");
      if (content instanceof JsonArray blocks) {
        Optional<String> bad = unsupportedBlocks(blocks, "messages");
        if (bad.isPresent()) {
          return bad;
        }
      } else if (!(content instanceof String)) {
        return Optional.of("message content is neither text nor blocks");
      }
    }
    return Optional.empty();
  }

  /**
   * Translates; the request must pass {@link #unsupportedReason}.
   *
   * @param model the local model's name (replaces the Claude model asked for)
   * @throws IllegalArgumentException when the request cannot be translated faithfully
   */
  public static JsonObject translate(JsonObject anthropicRequest, String model) {
    unsupportedReason(anthropicRequest)
        .ifPresent(
            why -> {
              throw new IllegalArgumentException("not translatable for a local model: " + why);
            });
    JsonArray messages = new JsonArray();
    Object system = anthropicRequest.getValue("system");
    String systemText =
        system instanceof String s ? s : system instanceof JsonArray a ? text(a) : null;
    if (systemText != null && !systemText.isEmpty()) {
      messages.add(new JsonObject().put("role", "system").put("content", systemText));
    }
    for (Object o : anthropicRequest.getJsonArray("messages")) {
      JsonObject message = (JsonObject) o;
      Object content = message.getValue("content");
      String text = content instanceof String s ? s : text((JsonArray) content);
      messages.add(new JsonObject().put("role", message.getString("role")).put("content", text));
    }
    JsonObject out = new JsonObject().put("model", model).put("messages", messages);
    copyNumber(anthropicRequest, "max_tokens", out, "max_tokens");
    copyNumber(anthropicRequest, "temperature", out, "temperature");
    copyNumber(anthropicRequest, "top_p", out, "top_p");
    if (anthropicRequest.getValue("stop_sequences") instanceof JsonArray stops
        && !stops.isEmpty()) {
      out.put("stop", stops.copy());
    }
    if (Boolean.TRUE.equals(anthropicRequest.getValue("stream"))) {
      out.put("stream", true);
      out.put("stream_options", new JsonObject().put("include_usage", true));
    } else {
      out.put("stream", false);
    }
    return out;
  }

  private static Optional<String> unsupportedBlocks(JsonArray blocks, String where) {
    for (Object b : blocks) {
      if (!(b instanceof JsonObject block)) {
        return Optional.of(where + " holds a block that is not an object");
      }
      Object type = block.getValue("type");
      if (!"text".equals(type) && !DROPPED_BLOCKS.contains(type)) {
        return Optional.of(
            where + " holds a " + type + " block, which a text-only model cannot take");
      }
    }
    return Optional.empty();
  }

  /** Text blocks joined by a blank line: separate blocks read as separate paragraphs. */
  private static String text(JsonArray blocks) {
    StringBuilder sb = new StringBuilder();
    for (Object b : blocks) {
      JsonObject block = (JsonObject) b;
      if ("text".equals(block.getValue("type")) && block.getValue("text") instanceof String t) {
        if (sb.length() > 0) {
          sb.append("\n\n");
        }
        sb.append(t);
      }
    }
    return sb.toString();
  }

  private static void copyNumber(JsonObject from, String key, JsonObject to, String as) {
    if (from.getValue(key) instanceof Number n) {
      to.put(as, n);
    }
  }
}
