package dev.clauderelay.transport;

/**
 * How a streamed response is read.
 *
 * @param idleTimeoutMs longest upstream silence while the consumer is waiting, milliseconds
 * @param pingsAreActivity whether {@code ping} events and comment lines reset the stall watchdog
 * @param maxEventBytes largest single event accepted
 */
public record StreamSettings(long idleTimeoutMs, boolean pingsAreActivity, int maxEventBytes) {
  /** 90 s, as DESIGN.md's {@code stream.idleTimeoutMs}. */
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 90_000;

  /** 16 MiB: far above any real event, low enough to stop a runaway body. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024;
}
