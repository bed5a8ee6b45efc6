package dev.clauderelay.degrade;

/** Where a pending task is in its life: QUEUED → RUNNING → DONE or FAILED (or back to QUEUED). */
public enum TaskState {
  /** Stored, waiting for a usable region. */
  QUEUED,
  /** Handed to the executor; back to QUEUED when the relay restarts before it finished. */
  RUNNING,
  /** Answered; the Message is kept. Final. */
  DONE,
  /**
   * Refused for good (the request itself was bad, or attempts ran out); the error is kept. Final.
   */
  FAILED;

  public boolean isFinal() {
    return this == DONE || this == FAILED;
  }
}
