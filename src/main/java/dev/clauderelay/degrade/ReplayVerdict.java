package dev.clauderelay.degrade;

import dev.clauderelay.api.error.ApiException;
import dev.clauderelay.api.error.AuthenticationException;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.api.error.ConnectionException;
import dev.clauderelay.api.error.NoUsableRegionException;
import dev.clauderelay.api.error.OverloadedException;
import dev.clauderelay.api.error.RateLimitException;
import dev.clauderelay.api.error.ServerErrorException;
import io.vertx.core.json.JsonObject;

/** What a failed replay means for its task. */
public enum ReplayVerdict {
  /** Nothing was sent: no region could take it. Back to QUEUED, attempt not counted; stop. */
  NO_REGION,
  /** The regions failed it (5xx, 529, 429, timeout, connection): back to QUEUED; stop. */
  REGION_FAULT,
  /** The request itself was refused (400, 404, 413, …): FAILED, final; go on with the next. */
  REQUEST_FAULT;

  /**
   * Reads the pipeline's final failure. An upstream 401 is the relay's key, not the request: region
   * fault. Anything that is not an API answer or a known transport failure counts as the request's
   * fault, so an unexpected bug fails one task instead of stalling the queue.
   */
  public static ReplayVerdict of(Throwable t) {
    if (t instanceof NoUsableRegionException) {
      return NO_REGION;
    }
    if (t instanceof ConnectionException
        || t instanceof ClaudeTimeoutException
        || t instanceof OverloadedException
        || t instanceof ServerErrorException
        || t instanceof RateLimitException
        || t instanceof AuthenticationException) {
      return REGION_FAULT;
    }
    return REQUEST_FAULT;
  }

  /** The Anthropic error object stored with a FAILED task and published with it. */
  public static JsonObject errorJson(Throwable t) {
    if (t instanceof ApiException api) {
      JsonObject e =
          new JsonObject()
              .put("type", api.errorType() == null ? "api_error" : api.errorType())
              .put(
                  "message",
                  api.body() != null && api.body().message() != null
                      ? api.body().message()
                      : String.valueOf(api.getMessage()))
              .put("status", api.status());
      if (api.requestId() != null) {
        e.put("request_id", api.requestId());
      }
      return e;
    }
    return new JsonObject().put("type", "api_error").put("message", String.valueOf(t.getMessage()));
  }
}
