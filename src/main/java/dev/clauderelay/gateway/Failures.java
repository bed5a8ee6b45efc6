package dev.clauderelay.gateway;

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
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Maps a failed call to what the client is answered (see docs/gateway.md, "Error mapping"). An
 * upstream error goes back with its own status and, when it was Anthropic JSON, its own body; the
 * relay's own failures get the status an SDK handles best (retryable ones with {@code
 * retry-after}).
 */
final class Failures {
  /** {@code retry-after} seconds when no region is usable and nobody knows for how long. */
  static final long UNKNOWN_RETRY_AFTER_SECONDS = 5;

  /**
   * The relay's own rate limit lives in {@code region}, which the gateway may not import (DESIGN.md
   * package table); it is recognised by name. It carries no wait the gateway can read, hence 1 s.
   */
  static final String PACING_EXCEPTION = "dev.clauderelay.region.PacingException";

  static final long PACING_RETRY_AFTER_SECONDS = 1;

  private Failures() {}

  static ErrorReply reply(Throwable failure, long nowMs) {
    if (failure instanceof StreamInterruptedException interrupted) {
      return interrupted(interrupted, nowMs);
    }
    if (failure instanceof ApiException api) {
      return upstream(api);
    }
    if (!(failure instanceof ClaudeException ce)) {
      return ErrorReply.local(500, "internal error in the relay: " + failure.getClass().getName());
    }
    String region = ce.region();
    int attempts = ce.attempts();
    String message = ce.getMessage();
    ErrorReply local;
    if (ce instanceof InvalidRequestException) {
      local = ErrorReply.local(400, message);
    } else if (ce instanceof RelayRefusalException refusal) {
      // The chain's own answer: its message already says what failed and what was tried.
      local =
          new ErrorReply(
              refusal.status(),
              ErrorBody.toWire(refusal.errorType(), message, null),
              refusal.retryAfterSeconds() > 0
                  ? Map.of("retry-after", Long.toString(refusal.retryAfterSeconds()))
                  : Map.of(),
              null,
              0,
              null);
    } else if (ce instanceof NoUsableRegionException none) {
      long waitMs = none.retryAtMs() - nowMs;
      long seconds =
          none.retryAtMs() < 0 ? UNKNOWN_RETRY_AFTER_SECONDS : Math.max(1, (waitMs + 999) / 1000);
      local =
          ErrorReply.local(503, "no region can take the call now: " + message)
              .withHeaders(Map.of("retry-after", Long.toString(seconds)));
    } else if (PACING_EXCEPTION.equals(ce.getClass().getName())) {
      local =
          ErrorReply.local(429, message)
              .withHeaders(Map.of("retry-after", Long.toString(PACING_RETRY_AFTER_SECONDS)));
    } else if (ce instanceof ClaudeTimeoutException) {
      local = ErrorReply.local(504, "upstream timed out: " + message);
    } else if (ce instanceof ConnectionException || ce instanceof MalformedResponseException) {
      local = ErrorReply.local(502, "upstream failed: " + message);
    } else {
      local = ErrorReply.local(500, message);
    }
    return new ErrorReply(
        local.status(), local.body(), local.headers(), region, attempts, requestId(ce));
  }

  /** The upstream's id, also when the failure wraps the last upstream answer. */
  private static String requestId(ClaudeException ce) {
    if (ce.requestId() == null && ce.getCause() instanceof ClaudeException inner) {
      return inner.requestId();
    }
    return ce.requestId();
  }

  /** An upstream error status: its status, its body when it was Anthropic JSON, its headers. */
  private static ErrorReply upstream(ApiException e) {
    ErrorBody body = e.body();
    JsonObject json;
    if (body != null
        && body.json() != null
        && body.json().getValue("error") instanceof JsonObject) {
      json = body.json().copy();
    } else {
      String raw = body == null || body.raw() == null ? "" : body.raw().strip();
      json =
          ErrorBody.toWire(
              ErrorTypes.forStatus(e.status()),
              "upstream answered "
                  + e.status()
                  + (raw.isEmpty() ? " with an empty body" : " with a non-JSON body: " + raw),
              e.requestId());
    }
    return new ErrorReply(
        e.status(),
        json,
        UpstreamHeaders.passed(e.headers()),
        e.region(),
        e.attempts(),
        e.requestId());
  }

  /** After a stream started: the body of the {@code event: error} frame. */
  private static ErrorReply interrupted(StreamInterruptedException e, long nowMs) {
    if (e.getCause() instanceof ApiException api) {
      ErrorReply inner = upstream(api);
      return new ErrorReply(
          inner.status(), inner.body(), Map.of(), e.region(), e.attempts(), e.requestId());
    }
    String type = "stall".equals(e.reason()) ? ErrorTypes.TIMEOUT : ErrorTypes.API;
    JsonObject body =
        ErrorBody.toWire(type, "upstream stream interrupted: " + e.getMessage(), e.requestId());
    return new ErrorReply(502, body, Map.of(), e.region(), e.attempts(), e.requestId());
  }
}
