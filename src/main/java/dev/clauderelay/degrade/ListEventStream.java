package dev.clauderelay.degrade;

import dev.clauderelay.api.StreamEvent;
import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;
import java.util.List;

/**
 * Events already in memory (a {@link SyntheticStream}) as a {@link ReadStream} that honours demand
 * like a live stream: it starts paused, delivers only what was asked for with {@link #fetch}, and
 * ends after the last event. Lets a cached answer take the same path as an upstream stream.
 *
 * <p>Not thread-safe: use it from one context, as a live stream is.
 */
public final class ListEventStream implements ReadStream<StreamEvent> {
  private final List<StreamEvent> events;
  private Handler<StreamEvent> handler;
  private Handler<Void> endHandler;
  private int next;
  private long demand;
  private boolean ended;
  private boolean delivering;

  public ListEventStream(List<StreamEvent> events) {
    this.events = List.copyOf(events);
  }

  @Override
  public ListEventStream exceptionHandler(Handler<Throwable> handler) {
    return this; // nothing here can fail
  }

  @Override
  public ListEventStream handler(Handler<StreamEvent> handler) {
    this.handler = handler;
    if (handler == null) {
      ended = true; // a reader that leaves cancels, as with a live stream
    }
    return this;
  }

  @Override
  public ListEventStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public ListEventStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ListEventStream fetch(long amount) {
    if (amount > 0) {
      demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
      deliver();
    }
    return this;
  }

  @Override
  public ListEventStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  private void deliver() {
    // A handler that fetches again re-enters here; the outer loop does the work instead.
    if (delivering) {
      return;
    }
    delivering = true;
    try {
      while (!ended && demand > 0 && next < events.size()) {
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        StreamEvent event = events.get(next++);
        if (handler != null) {
          handler.handle(event);
        }
      }
      if (!ended && next == events.size()) {
        ended = true;
        if (endHandler != null) {
          endHandler.handle(null);
        }
      }
    } finally {
      delivering = false;
    }
  }
}
