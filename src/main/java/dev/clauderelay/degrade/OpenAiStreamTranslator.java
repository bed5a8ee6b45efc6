package dev.clauderelay.degrade;

import dev.clauderelay.api.StreamEvent;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * OpenAI streaming chunks ({@code data: {"choices":[{"delta":{"content":…}}]}} … {@code data:
 * [DONE]}) as Anthropic stream events: {@code message_start} at the first chunk, one text block fed
 * by {@code text_delta}s, and at {@code [DONE]} the block's stop, {@code message_delta} (stop
 * reason, usage) and {@code message_stop}. Usage arrives in the last chunk when the request asked
 * for {@code stream_options.include_usage}, so it is sent in {@code message_delta}, input tokens
 * included; {@code message_start} carries zeros.
 *
 * <p>Pure and single-threaded: fed frame by frame, it writes events to the sink before returning.
 */
public final class OpenAiStreamTranslator {
  private final String requestedModel;
  private final Consumer<StreamEvent> sink;
  private boolean started;
  private boolean blockOpen;
  private boolean finished;
  private Object finishReason;
  private JsonObject usage = OpenAiToAnthropic.usage(null);

  public OpenAiStreamTranslator(String requestedModel, Consumer<StreamEvent> sink) {
    this.requestedModel = requestedModel;
    this.sink = sink;
  }

  /**
   * One SSE frame's data.
   *
   * @throws IllegalStateException when the server sent an error object or data that is not a JSON
   *     object: the stream cannot go on
   */
  public void data(String data) {
    if (finished) {
      return;
    }
    if (data.strip().equals("[DONE]")) {
      finish();
      return;
    }
    JsonObject chunk;
    try {
      chunk = new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalStateException("local model sent a chunk that is not JSON: " + brief(data));
    }
    if (chunk.getValue("error") != null) {
      throw new IllegalStateException("local model sent an error: " + brief(data));
    }
    start();
    if (chunk.getValue("choices") instanceof JsonArray choices
        && !choices.isEmpty()
        && choices.getValue(0) instanceof JsonObject choice) {
      if (choice.getValue("delta") instanceof JsonObject delta) {
        String text = OpenAiToAnthropic.contentText(delta.getValue("content"));
        if (!text.isEmpty()) {
          text(text);
        }
      }
      if (choice.getValue("finish_reason") != null) {
        finishReason = choice.getValue("finish_reason");
      }
    }
    if (chunk.getValue("usage") instanceof JsonObject u) {
      usage = OpenAiToAnthropic.usage(u);
    }
  }

  /**
   * The body ended. A stream that said how it finished ({@code [DONE]}, or a {@code finish_reason}
   * from servers that omit {@code [DONE]}) is closed properly.
   *
   * @return true when the stream is complete; false when it was cut
   */
  public boolean end() {
    if (!finished && finishReason != null) {
      finish();
    }
    return finished;
  }

  public boolean finished() {
    return finished;
  }

  private void start() {
    if (!started) {
      started = true;
      JsonObject message =
          OpenAiToAnthropic.messageShell(requestedModel)
              .put("usage", new JsonObject().put("input_tokens", 0).put("output_tokens", 0));
      emit("message_start", new JsonObject().put("message", message));
    }
  }

  private void text(String text) {
    if (!blockOpen) {
      blockOpen = true;
      emit(
          "content_block_start",
          new JsonObject()
              .put("index", 0)
              .put("content_block", new JsonObject().put("type", "text").put("text", "")));
    }
    emit(
        "content_block_delta",
        new JsonObject()
            .put("index", 0)
            .put("delta", new JsonObject().put("type", "text_delta").put("text", text)));
  }

  private void finish() {
    start();
    finished = true;
    if (blockOpen) {
      emit("content_block_stop", new JsonObject().put("index", 0));
    }
    emit(
        "message_delta",
        new JsonObject()
            .put(
                "delta",
                new JsonObject()
                    .put("stop_reason", OpenAiToAnthropic.stopReason(finishReason))
                    .put("stop_sequence", null))
            .put("usage", usage.copy()));
    emit("message_stop", new JsonObject());
  }

  private void emit(String type, JsonObject data) {
    JsonObject ordered = new JsonObject().put("type", type);
    data.forEach(e -> ordered.put(e.getKey(), e.getValue()));
    sink.accept(new StreamEvent(type, ordered));
  }

  private static String brief(String data) {
    return data.length() > 200 ? data.substring(0, 200) + "…" : data;
  }
}
