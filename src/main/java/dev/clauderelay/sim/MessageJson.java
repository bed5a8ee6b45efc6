package dev.clauderelay.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Message bodies and SSE frames in the exact shape the real API sends. */
final class MessageJson {

  /**
   * A streamed answer in three parts, so a fault can stop between them: {@code head} is
   * message_start, content_block_start and ping; {@code deltas} one text_delta frame per chunk;
   * {@code tail} is content_block_stop, message_delta and message_stop.
   */
  record StreamPlan(List<String> head, List<String> deltas, List<String> tail) {}

  private MessageJson() {}

  static JsonObject message(String id, String model, SyntheticReply reply, int inputTokens) {
    return new JsonObject()
        .put("id", id)
        .put("type", "message")
        .put("role", "assistant")
        .put("model", model)
        .put(
            "content",
            new JsonArray().add(new JsonObject().put("type", "text").put("text", reply.text())))
        .put("stop_reason", reply.stopReason())
        .put("stop_sequence", null)
        .put("usage", usage(inputTokens, reply.outputTokens()));
  }

  static StreamPlan streamPlan(String id, String model, SyntheticReply reply, int inputTokens) {
    JsonObject start =
        new JsonObject()
            .put("id", id)
            .put("type", "message")
            .put("role", "assistant")
            .put("model", model)
            .put("content", new JsonArray())
            .put("stop_reason", null)
            .put("stop_sequence", null)
            // The real API reports a token or two of output before any text is sent.
            .put("usage", usage(inputTokens, 1));
    List<String> head =
        List.of(
            frame("message_start", new JsonObject().put("message", start)),
            frame(
                "content_block_start",
                new JsonObject()
                    .put("index", 0)
                    .put("content_block", new JsonObject().put("type", "text").put("text", ""))),
            frame("ping", new JsonObject()));
    List<String> deltas =
        reply.deltas().stream()
            .map(
                text ->
                    frame(
                        "content_block_delta",
                        new JsonObject()
                            .put("index", 0)
                            .put(
                                "delta",
                                new JsonObject().put("type", "text_delta").put("text", text))))
            .toList();
    List<String> tail =
        List.of(
            frame("content_block_stop", new JsonObject().put("index", 0)),
            frame(
                "message_delta",
                new JsonObject()
                    .put(
                        "delta",
                        new JsonObject()
                            .put("stop_reason", reply.stopReason())
                            .put("stop_sequence", null))
                    .put("usage", usage(inputTokens, reply.outputTokens()))),
            frame("message_stop", new JsonObject()));
    return new StreamPlan(head, deltas, tail);
  }

  /**
   * One SSE frame, {@code event: <name>\ndata: <json>\n\n}; the JSON's {@code type} is the event
   * name and comes first, as in the real stream.
   */
  static String frame(String event, JsonObject data) {
    JsonObject ordered = new JsonObject().put("type", event);
    data.forEach(e -> ordered.put(e.getKey(), e.getValue()));
    return "event: " + event + "\ndata: " + ordered.encode() + "\n\n";
  }

  private static JsonObject usage(int inputTokens, int outputTokens) {
    return new JsonObject().put("input_tokens", inputTokens).put("output_tokens", outputTokens);
  }
}
