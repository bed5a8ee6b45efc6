package dev.clauderelay.sim;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * Writes SSE frames in order, honouring the socket's back-pressure (a slow reader makes the
 * simulator wait on {@code drainHandler}, not buffer without bound) and an optional pause before
 * each frame.
 */
final class SseWriter {

  private final HttpServerResponse response;
  private final List<String> frames;
  private final long delayBeforeEachMs;
  private final SimTimers timers;
  private final Promise<Void> done = Promise.promise();
  private int next;
  private boolean waited;
  private Future<Void> lastWrite = Future.succeededFuture();

  private SseWriter(
      HttpServerResponse response, List<String> frames, long delayBeforeEachMs, SimTimers timers) {
    this.response = response;
    this.frames = frames;
    this.delayBeforeEachMs = delayBeforeEachMs;
    this.timers = timers;
  }

  /**
   * Writes all frames; the future completes once the last one has been handed to the socket, or
   * fails when the connection closes first.
   */
  static Future<Void> write(
      HttpServerResponse response, List<String> frames, long delayBeforeEachMs, SimTimers timers) {
    SseWriter writer = new SseWriter(response, frames, delayBeforeEachMs, timers);
    writer.pump();
    return writer.done.future();
  }

  private void pump() {
    while (true) {
      if (response.closed()) {
        done.tryFail(new IllegalStateException("client closed the connection"));
        return;
      }
      if (next == frames.size()) {
        lastWrite.onComplete(done);
        return;
      }
      if (response.writeQueueFull()) {
        response.drainHandler(
            v -> {
              response.drainHandler(null);
              pump();
            });
        return;
      }
      if (delayBeforeEachMs > 0 && !waited) {
        waited = true;
        timers.schedule(delayBeforeEachMs, this::pump);
        return;
      }
      waited = false;
      lastWrite = response.write(frames.get(next++));
    }
  }
}
