package dev.clauderelay.stream;

import dev.clauderelay.api.Message;
import dev.clauderelay.api.error.ApiException;
import dev.clauderelay.api.error.ClaudeException;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.api.error.ConnectionException;
import dev.clauderelay.api.error.StreamInterruptedException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * One chunk's output line, {@code "chunk"} first (resume checks a line by its prefix):
 *
 * <ul>
 *   <li>answered: {@code {"chunk":N,"text":…,"usage":{…},"stop_reason":…,"request_id":…}}
 *   <li>failed: {@code {"chunk":N,"error":{"type":…,"message":…[,"status":…]},"request_id":…}}
 * </ul>
 */
record ChunkOutcome(long chunk, Buffer line, boolean failed, long inputTokens, long outputTokens) {

  static ChunkOutcome answered(long chunk, Message message, String requestId) {
    JsonObject json =
        new JsonObject()
            .put("chunk", chunk)
            .put("text", message.text())
            .put("usage", message.usage().toJson())
            .put("stop_reason", message.stopReason())
            .put("request_id", requestId);
    return new ChunkOutcome(
        chunk, line(json), false, message.usage().inputTokens(), message.usage().outputTokens());
  }

  static ChunkOutcome failed(long chunk, Throwable failure) {
    JsonObject error =
        new JsonObject().put("type", errorType(failure)).put("message", failure.getMessage());
    if (failure instanceof ApiException api) {
      error.put("status", api.status());
    }
    String requestId = failure instanceof ClaudeException c ? c.requestId() : null;
    JsonObject json =
        new JsonObject().put("chunk", chunk).put("error", error).put("request_id", requestId);
    return new ChunkOutcome(chunk, line(json), true, 0, 0);
  }

  /** The API's {@code error.type} when it sent one, else a name in the same style. */
  static String errorType(Throwable failure) {
    if (failure instanceof ApiException api && api.errorType() != null) {
      return api.errorType();
    }
    if (failure instanceof StreamInterruptedException) {
      return "stream_interrupted";
    }
    if (failure instanceof ClaudeTimeoutException) {
      return "timeout_error";
    }
    if (failure instanceof ConnectionException) {
      return "connection_error";
    }
    if (failure instanceof ApiException) {
      return "api_error";
    }
    return failure instanceof ClaudeException ? "relay_error" : "internal_error";
  }

  private static Buffer line(JsonObject json) {
    return json.toBuffer().appendByte((byte) '\n');
  }
}
