package dev.clauderelay.degrade;

import dev.clauderelay.api.Message;
import dev.clauderelay.api.MessageAccumulator;
import dev.clauderelay.api.StreamEvent;
import dev.clauderelay.api.error.StreamInterruptedException;
import dev.clauderelay.api.sse.SseDecoder;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.concurrent.TimeoutException;

/**
 * A local model's streamed answer as Anthropic events, pulled on demand: the socket is read only
 * while the reader has asked for more ({@code response.fetch(1)}, one network chunk at a time), so
 * a slow reader holds at most one chunk's events. A stall watchdog runs only while waiting for the
 * server. An answer cut before its end fails with {@link StreamInterruptedException}, never looks
 * complete.
 *
 * <p>Starts paused. Call its methods on the context that opened it.
 */
public final class LocalModelStream implements ReadStream<StreamEvent> {
  private final Vertx vertx;
  private final HttpClientRequest request;
  private final HttpClientResponse response;
  private final long idleTimeoutMs;
  private final SseDecoder decoder;
  private final OpenAiStreamTranslator translator;
  private final ArrayDeque<StreamEvent> ready = new ArrayDeque<>();
  private final MessageAccumulator accumulator = new MessageAccumulator();
  private final Promise<Message> message = Promise.promise();

  private Handler<StreamEvent> handler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private Throwable failure;
  private boolean failureReported;
  private long demand;
  private long delivered;
  private boolean fetching;
  private boolean upstreamEnded;
  private boolean cut;
  private boolean done;
  private boolean draining;
  private long watchdog = -1;

  LocalModelStream(
      Vertx vertx,
      HttpClientRequest request,
      HttpClientResponse response,
      String requestedModel,
      LocalModelOptions options) {
    this.vertx = vertx;
    this.request = request;
    this.response = response;
    this.idleTimeoutMs = options.idleTimeoutMs();
    this.translator = new OpenAiStreamTranslator(requestedModel, ready::add);
    this.decoder = new SseDecoder(frame -> translator.data(frame.data()), options.maxEventBytes());
    response.pause();
    response.handler(this::onChunk);
    response.endHandler(v -> onEnd());
    response.exceptionHandler(
        t -> fail("cut", LocalModelFailures.socket(t, options.chatCompletionsUrl(), true)));
  }

  /** The whole message once {@code message_stop} was delivered; fails as the stream fails. */
  public Future<Message> message() {
    return message.future();
  }

  /** Abandons the answer: the request is reset, which closes its connection. */
  public void cancel() {
    if (!done) {
      done = true;
      stopWatchdog();
      request.reset();
      message.tryFail(
          new StreamInterruptedException("cancelled", partial(), delivered, null, null));
    }
  }

  @Override
  public LocalModelStream handler(Handler<StreamEvent> handler) {
    this.handler = handler;
    if (handler == null) {
      cancel();
    }
    return this;
  }

  @Override
  public LocalModelStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    // A failure that came before anyone listened (the socket closed while paused) is not lost.
    if (handler != null && failure != null && !failureReported) {
      failureReported = true;
      handler.handle(failure);
    }
    return this;
  }

  @Override
  public LocalModelStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public LocalModelStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public LocalModelStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public LocalModelStream fetch(long amount) {
    if (amount > 0) {
      demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
      drain();
    }
    return this;
  }

  private void onChunk(Buffer chunk) {
    fetching = false;
    stopWatchdog();
    try {
      decoder.feed(chunk);
    } catch (IllegalStateException e) { // an error chunk, non-JSON data, an event too large
      fail("error_event", e);
      return;
    }
    drain();
  }

  private void onEnd() {
    fetching = false;
    stopWatchdog();
    upstreamEnded = true;
    decoder.finish();
    try {
      cut = !translator.end();
    } catch (IllegalStateException e) {
      fail("error_event", e);
      return;
    }
    drain();
  }

  private void drain() {
    // A handler that fetches again re-enters here; the outer loop does the work instead.
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
    while (!done) {
      while (demand > 0 && !ready.isEmpty() && !done) {
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        deliver(ready.poll());
      }
      if (done || !ready.isEmpty()) {
        return;
      }
      if (upstreamEnded) {
        if (cut) {
          fail("cut", null);
        } else {
          finish();
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

  private void deliver(StreamEvent event) {
    accumulator.accept(event);
    delivered++;
    if (handler != null) {
      handler.handle(event);
    }
  }

  private void finish() {
    done = true;
    message.tryComplete(accumulator.snapshot());
    if (endHandler != null) {
      endHandler.handle(null);
    }
  }

  private void fail(String reason, Throwable cause) {
    if (done) {
      return;
    }
    done = true;
    stopWatchdog();
    request.reset();
    StreamInterruptedException e =
        new StreamInterruptedException(reason, partial(), delivered, null, cause);
    failure = e;
    message.tryFail(e);
    if (exceptionHandler != null) {
      failureReported = true;
      exceptionHandler.handle(e);
    }
  }

  private Message partial() {
    return accumulator.snapshot();
  }

  private void startWatchdog() {
    stopWatchdog();
    watchdog =
        vertx.setTimer(
            idleTimeoutMs,
            t -> {
              watchdog = -1;
              if (fetching && !done) {
                fail(
                    "stall",
                    new TimeoutException("local model sent nothing for " + idleTimeoutMs + " ms"));
              }
            });
  }

  private void stopWatchdog() {
    if (watchdog >= 0) {
      vertx.cancelTimer(watchdog);
      watchdog = -1;
    }
  }
}
