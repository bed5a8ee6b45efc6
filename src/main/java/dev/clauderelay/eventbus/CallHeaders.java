package dev.clauderelay.eventbus;

import dev.clauderelay.api.error.InvalidRequestException;
import dev.clauderelay.client.CallOptions;
import io.vertx.core.MultiMap;

/**
 * Reads the per-call settings an event-bus caller puts in the message headers (they travel with the
 * message over a cluster, unlike Java objects): the Anthropic headers to forward and the relay's
 * deadline, and the degradation chain's {@code x-relay-cache}, {@code idempotency-key} and {@code
 * x-relay-queue} (docs/degrade.md). Other headers are ignored, as an HTTP server ignores unknown
 * ones.
 */
final class CallHeaders {
  /** The relay's whole-call deadline in milliseconds (0 = the client's {@code deadlineMs}). */
  static final String DEADLINE_MS = "x-relay-deadline-ms";

  private CallHeaders() {}

  static CallOptions read(MultiMap headers) {
    CallOptions call = new CallOptions();
    if (headers == null) {
      return call;
    }
    for (String name : CallOptions.FORWARDED_HEADERS) {
      String value = headers.get(name);
      if (value != null) {
        call.putHeader(name, value);
      }
    }
    try {
      call.setCache(headers.get("x-relay-cache"))
          .setIdempotencyKey(headers.get("idempotency-key"))
          .setQueue("on".equalsIgnoreCase(headers.get("x-relay-queue")));
    } catch (IllegalArgumentException bad) {
      throw new InvalidRequestException(bad.getMessage());
    }
    String deadline = headers.get(DEADLINE_MS);
    if (deadline != null) {
      try {
        call.setDeadlineMs(Long.parseLong(deadline.trim()));
      } catch (IllegalArgumentException bad) {
        throw new InvalidRequestException(
            DEADLINE_MS + ": a whole number of milliseconds >= 0 is required, got " + deadline);
      }
    }
    return call;
  }
}
