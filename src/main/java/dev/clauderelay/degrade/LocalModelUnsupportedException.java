package dev.clauderelay.degrade;

import dev.clauderelay.api.error.ClaudeException;

/**
 * The request holds something a text-only local model cannot take faithfully (an image, a document,
 * a tool call or result). The degradation chain goes on to its next step.
 */
public final class LocalModelUnsupportedException extends ClaudeException {
  public LocalModelUnsupportedException(String reason) {
    super("not sent to the local model: " + reason, null);
  }
}
