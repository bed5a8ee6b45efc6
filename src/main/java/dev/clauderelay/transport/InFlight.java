package dev.clauderelay.transport;

import dev.clauderelay.api.UpstreamResponse;
import io.vertx.core.Future;

/** A sent request: its outcome, and a way to abandon it (resets the HTTP stream at once). */
public record InFlight(Future<UpstreamResponse> response, Runnable cancel) {}
