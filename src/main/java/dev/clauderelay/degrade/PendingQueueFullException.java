package dev.clauderelay.degrade;

import dev.clauderelay.api.error.ClaudeException;

/**
 * The pending-task store holds {@code degrade.maxPendingTasks} unfinished tasks: this one is
 * refused, not dropped. The caller answers with its friendly 503; nothing was stored.
 */
public final class PendingQueueFullException extends ClaudeException {
  private final int limit;

  public PendingQueueFullException(int limit) {
    super(
        limit == 0
            ? "queueing is off (degrade.maxPendingTasks is 0)"
            : "the pending-task queue is full ("
                + limit
                + " tasks wait for a region); nothing was queued",
        null);
    this.limit = limit;
  }

  public int limit() {
    return limit;
  }
}
