package dev.clauderelay.client;

import dev.clauderelay.api.StreamEvent;
import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;

/** A stream refused before anything was sent: it fails as soon as events are asked for. */
final class FailedStream implements ReadStream<StreamEvent> {
  private final Throwable failure;
  private Handler<Throwable> exceptionHandler;
  private boolean reported;

  FailedStream(Throwable failure) {
    this.failure = failure;
  }

  @Override
  public ReadStream<StreamEvent> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public ReadStream<StreamEvent> handler(Handler<StreamEvent> handler) {
    return this;
  }

  @Override
  public ReadStream<StreamEvent> pause() {
    return this;
  }

  @Override
  public ReadStream<StreamEvent> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ReadStream<StreamEvent> fetch(long amount) {
    if (!reported && amount > 0 && exceptionHandler != null) {
      reported = true;
      exceptionHandler.handle(failure);
    }
    return this;
  }

  @Override
  public ReadStream<StreamEvent> endHandler(Handler<Void> endHandler) {
    return this;
  }
}
