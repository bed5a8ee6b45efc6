package dev.clauderelay.gateway;

import dev.clauderelay.api.StreamEvent;
import dev.clauderelay.api.error.TaskQueuedException;
import dev.clauderelay.client.MessageStream;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Relays one {@link MessageStream} as server-sent events, one event at a time, with backpressure
 * both ways: the next event is fetched only while the response's write queue has room; when it is
 * full, fetching stops until the queue drains (and the upstream socket, no longer read, pauses the
 * upstream). A client that reads nothing for {@code idleTimeoutMs} is disconnected.
 *
 * <p>Frames that arrive in one event-loop turn (one upstream network read holds dozens) are written
 * together at the end of the turn, at most {@link #BATCH_BYTES} at a time: one socket write instead
 * of one per event, which keeps each turn short and the CPU per event low. The first frame is the
 * exception: it is written at once, with the response head, for the time to first byte.
 *
 * <p>The status line waits for the first event: a stream that fails before any content (after the
 * engine's retries) is answered as a plain JSON error with its status. A failure after that becomes
 * an {@code event: error} frame with the Anthropic error JSON, never a clean end. A client that
 * goes away cancels the upstream request at once.
 *
 * <p>Confined to the request's event loop.
 */
final class SseRelay {
  private static final Buffer PING = Buffer.buffer("event: ping\ndata: {\"type\": \"ping\"}\n\n");

  /** Most bytes gathered before they are written, even within one event-loop turn. */
  static final int BATCH_BYTES = 8 * 1024;

  private final Vertx vertx;
  private final Context ctx;
  private final RoutingContext rc;
  private final HttpServerResponse resp;
  private final RequestRecord record;
  private final MessageStream stream;
  private final GatewayOptions options;

  private boolean headWritten;
  private boolean finished;
  private long events;
  private long lastWriteNanos;
  private long pingTimer = -1;
  private long stallTimer = -1;
  private Buffer pending = Buffer.buffer();
  private boolean flushScheduled;
  private boolean fetching;

  SseRelay(
      Vertx vertx,
      RoutingContext rc,
      RequestRecord record,
      MessageStream stream,
      GatewayOptions options) {
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    this.rc = rc;
    this.resp = rc.response();
    this.record = record;
    this.stream = stream;
    this.options = options;
  }

  void start() {
    rc.addEndHandler(
        ar -> {
          if (ar.failed()) {
            clientGone();
          }
        });
    stream.handler(this::onEvent);
    stream.exceptionHandler(this::onFailure);
    stream.endHandler(v -> onEnd());
    fetchIfRoom();
  }

  private void onEvent(StreamEvent event) {
    fetching = false;
    if (finished) {
      return;
    }
    events++;
    if (!headWritten) {
      writeHead();
      pending.appendBuffer(frame(event.type(), event.json()));
      // The first frame goes out now, before asking for more: the next events are often already
      // decoded and would be handed over synchronously, one after the other, before a write at
      // the end of the turn (measured: ~150 µs of time to first byte).
      flush();
      return;
    }
    pending.appendBuffer(frame(event.type(), event.json()));
    if (!flushScheduled) {
      flushScheduled = true;
      ctx.runOnContext(v -> flushScheduledTurn());
    }
    fetchIfRoom();
  }

  /** Asks for the next event when none is asked for yet and there is room to put it. */
  private void fetchIfRoom() {
    if (!fetching
        && !finished
        && pending.length() < BATCH_BYTES
        && !resp.writeQueueFull()
        && stallTimer < 0) {
      fetching = true;
      stream.fetch(1);
    }
  }

  private void flush() {
    if (finished) {
      return;
    }
    writePending();
    if (resp.writeQueueFull()) {
      waitForDrain();
    } else {
      fetchIfRoom();
    }
  }

  private void flushScheduledTurn() {
    flushScheduled = false;
    flush();
  }

  private void writePending() {
    if (pending.length() > 0) {
      lastWriteNanos = System.nanoTime();
      resp.write(pending);
      pending = Buffer.buffer();
    }
  }

  private void waitForDrain() {
    if (stallTimer >= 0) {
      return;
    }
    resp.drainHandler(
        v -> {
          cancelStallTimer();
          fetchIfRoom();
        });
    stallTimer =
        vertx.setTimer(
            options.getIdleTimeoutMs(),
            t -> {
              stallTimer = -1;
              if (!finished) {
                record.detail = "events=" + events + " client-stopped-reading";
                rc.request().connection().close();
              }
            });
  }

  private void writeHead() {
    headWritten = true;
    record.served(stream.region(), stream.attempts(), stream.headers().get("request-id"));
    record.degraded(stream.degraded());
    resp.setStatusCode(200).setChunked(true);
    UpstreamHeaders.passed(stream.headers()).forEach(resp::putHeader);
    resp.putHeader("content-type", "text/event-stream; charset=utf-8");
    resp.putHeader("cache-control", "no-cache");
    Replies.relayHeaders(resp, record);
    long interval = options.getPingIntervalMs();
    if (interval > 0) {
      pingTimer = vertx.setPeriodic(Math.max(1, interval / 2), t -> pingIfSilent(interval));
    }
  }

  private void pingIfSilent(long intervalMs) {
    if (!finished
        && pending.length() == 0
        && !resp.writeQueueFull()
        && System.nanoTime() - lastWriteNanos >= intervalMs * 1_000_000L) {
      lastWriteNanos = System.nanoTime();
      resp.write(PING);
    }
  }

  private void onEnd() {
    if (finished) {
      return;
    }
    finish();
    record.detail = "events=" + events;
    if (!headWritten) {
      writeHead();
      cancelTimers();
    }
    if (!resp.closed() && !resp.ended()) {
      resp.end(pending);
    }
  }

  private void onFailure(Throwable failure) {
    if (finished) {
      return;
    }
    finish();
    if (!headWritten && failure instanceof TaskQueuedException queued) {
      Replies.queued(resp, record, queued);
      return;
    }
    ErrorReply reply = Failures.reply(failure, System.currentTimeMillis());
    if (!headWritten) {
      Replies.error(resp, record, reply);
      return;
    }
    record.served(reply.region(), reply.attempts(), null);
    record.detail = "events=" + events + " interrupted=" + reply.type();
    JsonObject body = reply.body();
    if (body.getValue("request_id") == null) {
      body.put("request_id", record.requestId());
    }
    if (!resp.closed() && !resp.ended()) {
      resp.end(pending.appendBuffer(frame("error", body)));
    }
  }

  private void clientGone() {
    if (finished) {
      return;
    }
    finish();
    if (record.detail == null) {
      record.detail = "events=" + events + " client-closed";
    }
    stream.cancel();
  }

  private void finish() {
    finished = true;
    cancelTimers();
  }

  private void cancelTimers() {
    if (pingTimer >= 0) {
      vertx.cancelTimer(pingTimer);
      pingTimer = -1;
    }
    cancelStallTimer();
  }

  private void cancelStallTimer() {
    if (stallTimer >= 0) {
      vertx.cancelTimer(stallTimer);
      stallTimer = -1;
    }
  }

  static Buffer frame(String type, JsonObject data) {
    return frame(type, data.encode());
  }

  /**
   * An SSE frame of {@code json} (one line): a relayed event's data as the upstream wrote it
   * ({@link StreamEvent#json()}), so the client reads what Anthropic sent and nothing is encoded
   * twice.
   */
  static Buffer frame(String type, String json) {
    return Buffer.buffer(json.length() + type.length() + 16)
        .appendString("event: ")
        .appendString(type)
        .appendString("\ndata: ")
        .appendString(json)
        .appendString("\n\n");
  }
}
