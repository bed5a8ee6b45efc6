package dev.clauderelay.degrade;

import dev.clauderelay.api.error.ClaudeException;

/**
 * An {@code idempotency-key} already names a task whose request was different. Answering the old
 * task would hand the client someone else's answer; running the new request would break the key's
 * promise; so neither: the caller answers 422 (as payment APIs do for the same mistake).
 */
public final class IdempotencyKeyReusedException extends ClaudeException {
  private final String taskId;

  public IdempotencyKeyReusedException(String taskId) {
    super("idempotency-key already used for a different request (task " + taskId + ")", null);
    this.taskId = taskId;
  }

  public String taskId() {
    return taskId;
  }
}
