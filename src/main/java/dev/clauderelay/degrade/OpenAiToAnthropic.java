package dev.clauderelay.degrade;

import dev.clauderelay.api.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * An OpenAI chat completion as an Anthropic {@link Message}: the first choice's text as one text
 * block, {@code finish_reason} as {@code stop_reason}, {@code usage.prompt_tokens / completion
 * tokens} as {@code input_tokens / output_tokens}. The {@code model} is the one the client asked
 * for (the answer is marked degraded by the relay's header, not by renaming the model); the id is
 * the relay's own ({@code msg_local_…}).
 *
 * <p>Not carried: reasoning fields some servers add ({@code reasoning_content}), tool calls, other
 * choices. OpenAI's {@code stop} does not say which stop sequence matched, so {@code stop_sequence}
 * is always null and a stop on a sequence reads as {@code end_turn}.
 */
public final class OpenAiToAnthropic {
  private OpenAiToAnthropic() {}

  /**
   * @throws IllegalArgumentException when the body is not a chat completion (no choices)
   */
  public static Message message(JsonObject chatCompletion, String requestedModel) {
    if (!(chatCompletion.getValue("choices") instanceof JsonArray choices)
        || choices.isEmpty()
        || !(choices.getValue(0) instanceof JsonObject choice)) {
      throw new IllegalArgumentException("chat completion has no choices");
    }
    JsonObject msg = choice.getValue("message") instanceof JsonObject m ? m : new JsonObject();
    String text = contentText(msg.getValue("content"));
    JsonArray content = new JsonArray();
    if (!text.isEmpty()) {
      content.add(new JsonObject().put("type", "text").put("text", text));
    }
    JsonObject usage = usage(chatCompletion.getValue("usage"));
    return new Message(
        messageShell(requestedModel)
            .put("content", content)
            .put("stop_reason", stopReason(choice.getValue("finish_reason")))
            .put("usage", usage));
  }

  /** {@code stop}→{@code end_turn}, {@code length}→{@code max_tokens}, and the rarer ones. */
  public static String stopReason(Object finishReason) {
    if (!(finishReason instanceof String reason)) {
      return "end_turn";
    }
    return switch (reason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> "end_turn";
    };
  }

  /** OpenAI usage as Anthropic usage; zeros when the server sent none. */
  static JsonObject usage(Object raw) {
    JsonObject u = raw instanceof JsonObject o ? o : new JsonObject();
    return new JsonObject()
        .put("input_tokens", number(u.getValue("prompt_tokens")))
        .put("output_tokens", number(u.getValue("completion_tokens")));
  }

  /** A message with everything but content, stop reason and usage: shared with streaming. */
  static JsonObject messageShell(String requestedModel) {
    return new JsonObject()
        .put("id", "msg_local_" + UUID.randomUUID().toString().replace("-", ""))
        .put("type", "message")
        .put("role", "assistant")
        .put("model", requestedModel)
        .put("content", new JsonArray())
        .put("stop_reason", null)
        .put("stop_sequence", null);
  }

  /** Content is a string, null, or (some servers) an array of {@code {type: text, text}} parts. */
  static String contentText(Object content) {
    if (content instanceof String s) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    if (content instanceof JsonArray parts) {
      for (Object p : parts) {
        if (p instanceof JsonObject part && part.getValue("text") instanceof String t) {
          sb.append(t);
        }
      }
    }
    return sb.toString();
  }

  private static long number(Object o) {
    return o instanceof Number n ? n.longValue() : 0L;
  }
}
