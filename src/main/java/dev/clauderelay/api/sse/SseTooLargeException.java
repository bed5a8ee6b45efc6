package dev.clauderelay.api.sse;

/** An event grew past the decoder's bound: the upstream is not speaking SSE as promised. */
public final class SseTooLargeException extends IllegalStateException {
  public SseTooLargeException(String message) {
    super(message);
  }
}
