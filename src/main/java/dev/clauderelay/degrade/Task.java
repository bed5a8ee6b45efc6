package dev.clauderelay.degrade;

import dev.clauderelay.api.Message;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One pending task: a request that could not be served when it came, kept until a region can.
 *
 * @param id the relay's id ({@code task_…}), the handle a client polls
 * @param idempotencyKey the client's {@code idempotency-key}, or null ({@code x-relay-queue: on})
 * @param request the Anthropic request body as received
 * @param headers the request headers to forward when it runs ({@code anthropic-version}, {@code
 *     anthropic-beta}); never credentials
 * @param attempts times it was handed to the executor
 * @param seq position in arrival order (FIFO)
 * @param result the answer, once DONE
 * @param error the Anthropic error object ({@code {"type","message"}}, plus {@code status} when an
 *     HTTP status caused it), once FAILED
 */
public record Task(
    String id,
    String idempotencyKey,
    JsonObject request,
    Map<String, String> headers,
    TaskState state,
    int attempts,
    long createdAtMs,
    long updatedAtMs,
    long seq,
    JsonObject result,
    JsonObject error) {

  public Task {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public Optional<Message> message() {
    return result == null ? Optional.empty() : Optional.of(new Message(result));
  }

  Task with(TaskState newState, int newAttempts, long nowMs, JsonObject newResult, JsonObject err) {
    return new Task(
        id,
        idempotencyKey,
        request,
        headers,
        newState,
        newAttempts,
        createdAtMs,
        nowMs,
        seq,
        newResult,
        err);
  }

  /**
   * What a client sees ({@code GET /v1/relay/tasks/{id}}): {@code {"type":"task","task_id",
   * "state","attempts","created_at","updated_at"}} plus {@code message} once DONE or {@code error}
   * once FAILED. Never the request or its headers.
   */
  public JsonObject toStatusJson() {
    JsonObject json =
        new JsonObject()
            .put("type", "task")
            .put("task_id", id)
            .put("state", state.name())
            .put("attempts", attempts)
            .put("created_at", Instant.ofEpochMilli(createdAtMs).toString())
            .put("updated_at", Instant.ofEpochMilli(updatedAtMs).toString());
    if (result != null) {
      json.put("message", result.copy());
    }
    if (error != null) {
      json.put("error", error.copy());
    }
    return json;
  }

  /** The stored form (all fields); {@link #fromJson} reads it back. */
  JsonObject toJson() {
    JsonObject h = new JsonObject();
    new TreeMap<>(headers).forEach(h::put);
    return new JsonObject()
        .put("v", 1)
        .put("id", id)
        .put("idempotency_key", idempotencyKey)
        .put("request", request)
        .put("headers", h)
        .put("state", state.name())
        .put("attempts", attempts)
        .put("created_at_ms", createdAtMs)
        .put("updated_at_ms", updatedAtMs)
        .put("seq", seq)
        .put("result", result)
        .put("error", error);
  }

  static Task fromJson(JsonObject json) {
    Map<String, String> headers = new TreeMap<>();
    JsonObject h = json.getJsonObject("headers", new JsonObject());
    for (String name : h.fieldNames()) {
      headers.put(name, h.getString(name));
    }
    return new Task(
        json.getString("id"),
        json.getString("idempotency_key"),
        json.getJsonObject("request"),
        headers,
        TaskState.valueOf(json.getString("state")),
        json.getInteger("attempts", 0),
        json.getLong("created_at_ms", 0L),
        json.getLong("updated_at_ms", 0L),
        json.getLong("seq", 0L),
        json.getJsonObject("result"),
        json.getJsonObject("error"));
  }
}
