package dev.clauderelay.region;

import dev.clauderelay.api.error.ClaudeException;

/**
 * The relay's own rate limit: no permit for this key could come in time, or too many calls are
 * already waiting. Nothing was sent upstream. The pipeline may try another key or region; when it
 * gives up, this is the call's clear rate-limit error.
 */
public final class PacingException extends ClaudeException {
  /** Why no permit was given. */
  public enum Reason {
    /** The next permit would come after the call's deadline. */
    DEADLINE,
    /** {@code rateLimit.maxQueued} calls are already waiting for this key. */
    QUEUE_FULL
  }

  private final Reason reason;
  private final long waitMs;
  private final int queued;

  /**
   * @param what who was paced, e.g. {@code region anthropic, key sk-ant-…a1b2} (fingerprint only)
   * @param waitMs how long the permit would still take from now, milliseconds (-1 unknown)
   * @param queued calls waiting for this key when the call was refused
   */
  public PacingException(Reason reason, String what, long waitMs, int queued) {
    super(describe(reason, what, waitMs, queued), null);
    this.reason = reason;
    this.waitMs = waitMs;
    this.queued = queued;
  }

  public Reason reason() {
    return reason;
  }

  /** The wait a permit would still need, milliseconds (-1 when unknown). */
  public long waitMs() {
    return waitMs;
  }

  public int queued() {
    return queued;
  }

  private static String describe(Reason reason, String what, long waitMs, int queued) {
    return switch (reason) {
      case DEADLINE ->
          "client-side rate limit ("
              + what
              + "): the next permit is "
              + waitMs
              + " ms away, after the call's deadline ("
              + queued
              + " call(s) waiting)";
      case QUEUE_FULL ->
          "client-side rate limit ("
              + what
              + "): "
              + queued
              + " call(s) already waiting, the queue is full (rateLimit.maxQueued)";
    };
  }
}
