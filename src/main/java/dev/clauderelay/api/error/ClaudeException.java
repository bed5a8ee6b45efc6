package dev.clauderelay.api.error;

/**
 * Root of every failure the relay reports. Unchecked, and it carries data instead of hiding it in
 * the message: which region answered last, how many attempts were made, the upstream request-id.
 */
public class ClaudeException extends RuntimeException {
  private String region;
  private int attempts;
  private String note;

  public ClaudeException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Region that produced this failure; {@code null} when no region was tried. */
  public String region() {
    return region;
  }

  /** Attempts made by the call that ended with this failure (0 when none was made). */
  public int attempts() {
    return attempts;
  }

  /** Upstream {@code request-id}, when one answered. */
  public String requestId() {
    return null;
  }

  /** Set by the pipeline when this failure becomes (or contributes to) a call's outcome. */
  public ClaudeException withContext(String region, int attempts) {
    if (region != null) {
      this.region = region;
    }
    this.attempts = attempts;
    return this;
  }

  /** Adds why the pipeline stopped here (deadline, retry-after above the cap, retries used up). */
  public ClaudeException withNote(String note) {
    this.note = note;
    return this;
  }

  public String note() {
    return note;
  }

  @Override
  public String getMessage() {
    StringBuilder sb = new StringBuilder(String.valueOf(super.getMessage()));
    if (region != null) {
      sb.append(" (region ").append(region).append(", attempts ").append(attempts).append(')');
    }
    if (note != null) {
      sb.append(": ").append(note);
    }
    return sb.toString();
  }
}
