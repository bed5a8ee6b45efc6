package dev.clauderelay.eventbus;

import dev.clauderelay.api.ErrorBody;
import dev.clauderelay.api.error.ApiException;
import dev.clauderelay.api.error.ClaudeException;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.api.error.ConnectionException;
import dev.clauderelay.api.error.InvalidRequestException;
import dev.clauderelay.api.error.MalformedResponseException;
import dev.clauderelay.api.error.NoUsableRegionException;
import dev.clauderelay.api.error.RelayRefusalException;
import dev.clauderelay.api.error.StreamInterruptedException;
import dev.clauderelay.api.error.TaskQueuedException;
import io.vertx.core.json.JsonObject;

/**
 * Turns a failure into what an event-bus caller gets: the HTTP-like status an Anthropic client
 * would have seen and the Anthropic error JSON, so that code handling the HTTP API's errors handles
 * these too. An upstream error body is passed on as it came (request id included).
 */
final class ErrorReplies {
  /** A status, the wire error JSON, and for an interrupted stream the partial Message JSON. */
  record Reply(int status, JsonObject body, JsonObject partial) {}

  private ErrorReplies() {}

  static Reply of(Throwable t) {
    if (t instanceof StreamInterruptedException cut) {
      return interrupted(cut);
    }
    if (t instanceof ApiException api) {
      ErrorBody body = api.body();
      if (body != null
          && body.json() != null
          && body.json().getValue("error") instanceof JsonObject) {
        return new Reply(api.status(), body.json().copy(), null);
      }
      return reply(api.status(), typeFor(api.status()), api);
    }
    if (t instanceof TaskQueuedException queued) {
      // Not an error for the caller's request but no Message either: the task to poll.
      return new Reply(
          202, new JsonObject().put("type", "queued").put("task_id", queued.taskId()), null);
    }
    if (t instanceof RelayRefusalException refusal) {
      return reply(refusal.status(), refusal.errorType(), refusal);
    }
    if (t instanceof InvalidRequestException invalid) {
      return reply(400, "invalid_request_error", invalid);
    }
    if (t instanceof NoUsableRegionException none) {
      return reply(503, "api_error", none);
    }
    if (t instanceof ClaudeTimeoutException timeout) {
      return reply(504, "timeout_error", timeout);
    }
    if (t instanceof ConnectionException || t instanceof MalformedResponseException) {
      // The upstream could not be reached or answered nonsense: a gateway's 502.
      return reply(502, "api_error", t);
    }
    return reply(500, "api_error", t);
  }

  static Reply invalid(String message) {
    return new Reply(400, ErrorBody.toWire("invalid_request_error", message, null), null);
  }

  /**
   * An interruption keeps the upstream's own error when the stream ended with one (an {@code error}
   * event such as {@code overloaded_error}); a cut or a stall is a 502. The message says how far
   * the stream got either way.
   */
  private static Reply interrupted(StreamInterruptedException cut) {
    JsonObject partial = cut.partialMessage() == null ? null : cut.partialMessage().toJson();
    if (cut.getCause() instanceof ApiException api) {
      Reply upstream = of(api);
      return new Reply(upstream.status(), upstream.body(), partial);
    }
    Reply generic = reply(502, "api_error", cut);
    return new Reply(generic.status(), generic.body(), partial);
  }

  private static Reply reply(int status, String type, Throwable t) {
    String requestId = t instanceof ClaudeException c ? c.requestId() : null;
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return new Reply(status, ErrorBody.toWire(type, message, requestId), null);
  }

  /** The {@code error.type} the Anthropic API uses for a status. */
  static String typeFor(int status) {
    return switch (status) {
      case 400, 422 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      case 529 -> "overloaded_error";
      default -> status < 500 ? "invalid_request_error" : "api_error";
    };
  }
}
