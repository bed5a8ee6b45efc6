package dev.clauderelay.degrade;

import io.vertx.core.json.JsonObject;

/** Pending-task completions on the event bus. */
public final class TaskEvents {
  /** DESIGN.md's address for published task completions. */
  public static final String ADDRESS = "claude.tasks";

  private TaskEvents() {}

  /**
   * {@code {"task_id","state","message"}} for DONE, {@code {"task_id","state","error"}} for FAILED,
   * plus {@code idempotency_key} when the task had one (a listener matches on it).
   */
  public static JsonObject completion(Task task) {
    JsonObject json = new JsonObject().put("task_id", task.id()).put("state", task.state().name());
    if (task.idempotencyKey() != null) {
      json.put("idempotency_key", task.idempotencyKey());
    }
    if (task.result() != null) {
      json.put("message", task.result().copy());
    }
    if (task.error() != null) {
      json.put("error", task.error().copy());
    }
    return json;
  }
}
