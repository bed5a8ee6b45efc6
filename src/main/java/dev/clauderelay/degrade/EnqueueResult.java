package dev.clauderelay.degrade;

/**
 * What {@code enqueue} did.
 *
 * @param task the task now stored for the request
 * @param created false when the idempotency key was known: {@code task} is the earlier one, in
 *     whatever state it reached (the gateway answers it the same way, so a client's retry of a
 *     queued request is harmless)
 */
public record EnqueueResult(Task task, boolean created) {}
