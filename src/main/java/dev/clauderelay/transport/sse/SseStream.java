package dev.clauderelay.transport.sse;

import dev.clauderelay.api.sse.SseDecoder;
import dev.clauderelay.api.sse.SseFrame;
import dev.clauderelay.api.sse.SseTooLargeException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The frames of an SSE response, pulled on demand: {@link #fetch(long)} is the only thing that
 * makes the socket be read ({@code response.fetch(1)} one network chunk at a time), so a consumer
 * that stops asking stops the upstream. Holds at most the frames of one chunk plus one partial
 * event.
 *
 * <p>A stall watchdog runs only while waiting for upstream bytes (a slow consumer is not a stall):
 * {@code idleTimeoutMs} without activity fails the stream. {@code isActivity} says which frames
 * count; comment lines count when pings do.
 *
 * <p>Starts paused. All methods must be called on the context that opened it.
 */
public final class SseStream implements ReadStream<SseFrame> {
  private final Vertx vertx;
  private final HttpClientRequest request;
  private final HttpClientResponse response;
  private final SseDecoder decoder;
  private final ArrayDeque<SseFrame> ready = new ArrayDeque<>();
  private final long idleTimeoutMs;
  private final Predicate<SseFrame> isActivity;
  private final boolean commentsAreActivity;
  private final Function<Throwable, Throwable> errorMapper;
  private final Function<Long, Throwable> stallErrorFactory;

  private Handler<SseFrame> handler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private long demand;
  private boolean fetching;
  private boolean upstreamEnded;
  private boolean done;
  private boolean cutInsideEvent;
  private long lastActivityNanos;
  private long stallTimer = -1;
  private long bytes;
  private boolean draining;

  /**
   * @param errorMapper turns socket failures into the relay's exceptions
   * @param stallError builds the failure raised by the watchdog
   */
  public SseStream(
      Vertx vertx,
      HttpClientRequest request,
      HttpClientResponse response,
      long idleTimeoutMs,
      int maxEventBytes,
      Predicate<SseFrame> isActivity,
      boolean commentsAreActivity,
      Function<Throwable, Throwable> errorMapper,
      Function<Long, Throwable> stallError) {
    this.vertx = vertx;
    this.request = request;
    this.response = response;
    this.idleTimeoutMs = idleTimeoutMs;
    this.isActivity = isActivity;
    this.commentsAreActivity = commentsAreActivity;
    this.errorMapper = errorMapper;
    this.stallErrorFactory = stallError;
    this.decoder = new SseDecoder(this::onFrame, maxEventBytes);
    this.lastActivityNanos = System.nanoTime();
    response.pause();
    response.handler(this::onChunk);
    response.endHandler(v -> onEnd());
    response.exceptionHandler(this::onError);
  }

  @Override
  public SseStream handler(Handler<SseFrame> handler) {
    this.handler = handler;
    if (handler == null) {
      cancel();
    }
    return this;
  }

  @Override
  public SseStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public SseStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public SseStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public SseStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public SseStream fetch(long amount) {
    if (amount > 0) {
      demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
      drain();
    }
    return this;
  }

  /** Abandons the stream: resets the HTTP request, which releases (closes) its connection. */
  public void cancel() {
    if (!done) {
      done = true;
      stopWatchdog();
      request.reset();
    }
  }

  /** True when the body ended inside an event (a partial line or an undispatched event). */
  public boolean cutInsideEvent() {
    return cutInsideEvent;
  }

  public long bytesReceived() {
    return bytes;
  }

  public String header(String name) {
    return response.getHeader(name);
  }

  private void onChunk(Buffer chunk) {
    fetching = false;
    bytes += chunk.length();
    long commentsBefore = decoder.comments();
    try {
      decoder.feed(chunk);
    } catch (SseTooLargeException e) {
      fail(e);
      return;
    }
    if (commentsAreActivity && decoder.comments() > commentsBefore) {
      lastActivityNanos = System.nanoTime();
    }
    drain();
  }

  private void onFrame(SseFrame frame) {
    if (isActivity.test(frame)) {
      lastActivityNanos = System.nanoTime();
    }
    ready.add(frame);
  }

  private void onEnd() {
    upstreamEnded = true;
    fetching = false;
    cutInsideEvent = decoder.finish();
    drain();
  }

  private void onError(Throwable t) {
    fail(errorMapper.apply(t));
  }

  private void fail(Throwable t) {
    if (done) {
      return;
    }
    done = true;
    stopWatchdog();
    request.reset();
    if (exceptionHandler != null) {
      exceptionHandler.handle(t);
    }
  }

  private void drain() {
    // A handler that fetches again re-enters here; the outer loop does the work instead of the
    // stack growing by one frame per event.
    if (draining) {
      return;
    }
    draining = true;
    try {
      drainLoop();
    } finally {
      draining = false;
    }
  }

  private void drainLoop() {
    while (true) {
      while (demand > 0 && !ready.isEmpty() && !done) {
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        SseFrame frame = ready.poll();
        if (handler != null) {
          handler.handle(frame);
        }
      }
      if (done || !ready.isEmpty()) {
        return;
      }
      if (upstreamEnded) {
        done = true;
        stopWatchdog();
        if (endHandler != null) {
          endHandler.handle(null);
        }
        return;
      }
      if (demand > 0 && !fetching) {
        fetching = true;
        startWatchdog();
        response.fetch(1);
        if (!fetching) {
          continue; // a chunk (or the end) was delivered synchronously by fetch
        }
      }
      return;
    }
  }

  private void startWatchdog() {
    if (stallTimer >= 0) {
      return;
    }
    // Waiting starts now: time the consumer spent not asking is not the upstream's silence.
    lastActivityNanos = Math.max(lastActivityNanos, System.nanoTime());
    armWatchdog(idleTimeoutMs);
  }

  private void armWatchdog(long delayMs) {
    stallTimer = vertx.setTimer(Math.max(1, delayMs), t -> onWatchdog());
  }

  private void onWatchdog() {
    stallTimer = -1;
    if (done) {
      return;
    }
    long silentMs = (System.nanoTime() - lastActivityNanos) / 1_000_000;
    if (silentMs >= idleTimeoutMs && fetching) {
      fail(stallErrorFactory.apply(silentMs));
    } else if (fetching || demand > 0) {
      armWatchdog(idleTimeoutMs - silentMs);
    }
  }

  private void stopWatchdog() {
    if (stallTimer >= 0) {
      vertx.cancelTimer(stallTimer);
      stallTimer = -1;
    }
  }
}
