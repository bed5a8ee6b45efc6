package dev.clauderelay.api.error;

/** A time limit passed. {@link #phase()} says which, because only some are safe to retry. */
public final class ClaudeTimeoutException extends ClaudeException {
  /** Where the time ran out. */
  public enum Phase {
    /** TCP/TLS connect; nothing was sent. */
    CONNECT,
    /** Request sent, no response byte yet: retryable, no response was seen. */
    RESPONSE_HEADERS,
    /** Headers arrived, the body stalled. */
    BODY,
    /** The whole call's deadline ({@code retry.deadlineMs}). */
    DEADLINE
  }

  private final Phase phase;

  public ClaudeTimeoutException(Phase phase, String message) {
    super(message, null);
    this.phase = phase;
  }

  public Phase phase() {
    return phase;
  }
}
