package dev.clauderelay.stream;

/**
 * A job cannot start as asked: its output belongs to another job, has no checkpoint, or disagrees
 * with it. Nothing was sent and nothing was changed; the message says what to do.
 */
public final class JobSetupException extends RuntimeException {
  public JobSetupException(String message) {
    super(message);
  }
}
