package dev.clauderelay.api.error;

import dev.clauderelay.api.Message;

/**
 * A stream failed after content had reached the consumer, so it was not retried: it carries what
 * was delivered (the partial message, the number of events) and why it stopped. A cut stream is
 * never presented as complete.
 */
public final class StreamInterruptedException extends ClaudeException {
  private final Message partial;
  private final long eventsDelivered;
  private final String requestId;
  private final String reason;

  public StreamInterruptedException(
      String reason, Message partial, long eventsDelivered, String requestId, Throwable cause) {
    super(
        "stream interrupted after "
            + eventsDelivered
            + " events ("
            + reason
            + ")"
            + (requestId == null ? "" : " [request-id " + requestId + "]")
            + (cause == null ? "" : ": " + cause.getMessage()),
        cause);
    this.partial = partial;
    this.eventsDelivered = eventsDelivered;
    this.requestId = requestId;
    this.reason = reason;
  }

  /** The message as far as it came. */
  public Message partialMessage() {
    return partial;
  }

  public long eventsDelivered() {
    return eventsDelivered;
  }

  /** A short label: {@code cut}, {@code stall}, {@code error_event}, {@code no_message_stop}. */
  public String reason() {
    return reason;
  }

  @Override
  public String requestId() {
    return requestId;
  }
}
