package dev.clauderelay.transport;

import dev.clauderelay.api.UpstreamResponse;
import dev.clauderelay.transport.sse.SseStream;

/**
 * The outcome of opening a stream: either a live SSE stream (paused, with its response status and
 * headers) or the complete error response the upstream sent instead.
 */
public record StreamStart(UpstreamResponse head, SseStream stream) {
  public boolean isLive() {
    return stream != null;
  }
}
