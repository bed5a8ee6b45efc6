package dev.clauderelay.api.error;

/**
 * Not a failure of the request but the relay's promise: no region could serve it now, so it was
 * stored as a durable pending task ({@code idempotency-key} or {@code x-relay-queue: on}) and runs
 * when a region recovers. Its state and, once done, its Message are read with the task id (the
 * gateway's {@code GET /v1/relay/tasks/{id}}, {@code ClaudeClient.task}); completions are also
 * published on {@code claude.tasks}. The gateway answers it {@code 202
 * {"type":"queued","task_id"}}.
 */
public final class TaskQueuedException extends ClaudeException {
  private final String taskId;
  private final boolean created;

  /**
   * @param created false when the idempotency key already named this task (a repeated request)
   */
  public TaskQueuedException(String taskId, boolean created, Throwable cause) {
    super(
        "no region can serve the request now; "
            + (created ? "queued as " : "already queued as ")
            + taskId,
        cause);
    this.taskId = taskId;
    this.created = created;
  }

  public String taskId() {
    return taskId;
  }

  public boolean created() {
    return created;
  }
}
