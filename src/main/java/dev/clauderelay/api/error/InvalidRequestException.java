package dev.clauderelay.api.error;

/**
 * A request refused before anything went upstream (missing {@code model}, bad {@code max_tokens},
 * …). The message names the field; the gateway answers it as a 400 {@code invalid_request_error}.
 */
public final class InvalidRequestException extends ClaudeException {
  public InvalidRequestException(String message) {
    super(message, null);
  }
}
