package dev.clauderelay.engine;

/**
 * What a caller says about the degradation chain for one call.
 *
 * @param cacheHeader the {@code x-relay-cache} value ({@code on}, {@code off}), or null
 * @param idempotencyKey the client's {@code idempotency-key}, or null; with one, a call no region
 *     can serve is queued as a durable task
 * @param queue {@code x-relay-queue: on}: queue even without an idempotency key
 */
public record DegradeRequest(String cacheHeader, String idempotencyKey, boolean queue) {
  public static final DegradeRequest NONE = new DegradeRequest(null, null, false);

  /** Whether the caller allows queueing this call as a pending task. */
  public boolean queueable() {
    return queue || idempotencyKey != null;
  }
}
