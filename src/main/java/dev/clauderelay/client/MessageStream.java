package dev.clauderelay.client;

import dev.clauderelay.api.Message;
import dev.clauderelay.api.StreamEvent;
import dev.clauderelay.engine.DegradableStream;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;

/**
 * A streamed message: a {@link ReadStream} of events whose demand reaches the socket, the same as a
 * Mutiny {@link Multi} ({@link #toMulti()}), and the final {@link Message} ({@link #message()}).
 * Nothing is sent until events are first asked for. Methods may be called from any thread; the work
 * runs on the context the stream was created on.
 */
public final class MessageStream implements ReadStream<StreamEvent> {
  private final ReadStream<StreamEvent> events;
  private final DegradableStream call;
  private final Future<Message> message;
  private final Context ctx;

  MessageStream(DegradableStream call, Context ctx) {
    this.events = call;
    this.call = call;
    this.message = call.message();
    this.ctx = ctx;
  }

  private MessageStream(Throwable failure, Context ctx) {
    this.events = new FailedStream(failure);
    this.call = null;
    this.message = Future.failedFuture(failure);
    this.ctx = ctx;
  }

  static MessageStream failed(Throwable failure, Context ctx) {
    return new MessageStream(failure, ctx);
  }

  /** Completes with the whole message after {@code message_stop}; fails as the stream fails. */
  public Future<Message> message() {
    return message;
  }

  public Uni<Message> messageUni() {
    return Uni.createFrom().completionStage(() -> message.toCompletionStage());
  }

  /** The events as a Multi: {@code request(n)} becomes {@code fetch(n)}; one subscriber. */
  public Multi<StreamEvent> toMulti() {
    return ReadStreamMulti.from(this, ctx, this::cancel);
  }

  /** Stops: the upstream request is reset and its connection released. */
  public void cancel() {
    if (call != null) {
      OnContext.run(ctx, call::cancel);
    }
  }

  /** Region that served it, once open. */
  public String region() {
    return call == null ? null : call.region();
  }

  /** Response headers of the attempt that opened the stream (lower-case names), once open. */
  public java.util.Map<String, String> headers() {
    return call == null ? java.util.Map.of() : call.headers();
  }

  /**
   * {@code cache}, {@code stale-cache} or {@code local-model} when the degradation chain answered
   * instead of a region (known once the first event arrived); null otherwise.
   */
  public String degraded() {
    return call == null ? null : call.degraded();
  }

  public int attempts() {
    return call == null ? 0 : call.attempts();
  }

  @Override
  public MessageStream handler(Handler<StreamEvent> handler) {
    OnContext.run(ctx, () -> events.handler(handler));
    return this;
  }

  @Override
  public MessageStream exceptionHandler(Handler<Throwable> handler) {
    OnContext.run(ctx, () -> events.exceptionHandler(handler));
    return this;
  }

  @Override
  public MessageStream endHandler(Handler<Void> endHandler) {
    OnContext.run(ctx, () -> events.endHandler(endHandler));
    return this;
  }

  @Override
  public MessageStream pause() {
    OnContext.run(ctx, events::pause);
    return this;
  }

  @Override
  public MessageStream resume() {
    OnContext.run(ctx, events::resume);
    return this;
  }

  @Override
  public MessageStream fetch(long amount) {
    OnContext.run(ctx, () -> events.fetch(amount));
    return this;
  }
}
