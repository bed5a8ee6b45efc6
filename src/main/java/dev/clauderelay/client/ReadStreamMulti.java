package dev.clauderelay.client;

import io.smallrye.mutiny.Multi;
import io.vertx.core.Context;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Vert.x {@link ReadStream} as a Mutiny {@link Multi} with real backpressure: the subscriber's
 * {@code request(n)} becomes {@code fetch(n)}, nothing is buffered here, and cancelling stops the
 * stream. (The Mutiny bindings for Vert.x 5 are not available to us; this is the part we need.)
 */
final class ReadStreamMulti {
  private ReadStreamMulti() {}

  static <T> Multi<T> from(ReadStream<T> stream, Context ctx, Runnable cancel) {
    AtomicBoolean subscribed = new AtomicBoolean();
    Flow.Publisher<T> publisher =
        subscriber -> {
          if (!subscribed.compareAndSet(false, true)) {
            subscriber.onSubscribe(
                new Flow.Subscription() {
                  @Override
                  public void request(long n) {}

                  @Override
                  public void cancel() {}
                });
            subscriber.onError(
                new IllegalStateException("a stream can be subscribed to only once"));
            return;
          }
          AtomicBoolean done = new AtomicBoolean();
          OnContext.run(
              ctx,
              () -> {
                stream.exceptionHandler(
                    t -> {
                      if (done.compareAndSet(false, true)) {
                        subscriber.onError(t);
                      }
                    });
                stream.endHandler(
                    v -> {
                      if (done.compareAndSet(false, true)) {
                        subscriber.onComplete();
                      }
                    });
                stream.handler(subscriber::onNext);
              });
          subscriber.onSubscribe(
              new Flow.Subscription() {
                @Override
                public void request(long n) {
                  if (n <= 0) {
                    if (done.compareAndSet(false, true)) {
                      OnContext.run(ctx, cancel);
                      subscriber.onError(
                          new IllegalArgumentException("request(n) needs n > 0, got " + n));
                    }
                    return;
                  }
                  OnContext.run(ctx, () -> stream.fetch(n));
                }

                @Override
                public void cancel() {
                  if (done.compareAndSet(false, true)) {
                    OnContext.run(ctx, cancel);
                  }
                }
              });
        };
    return Multi.createFrom().publisher(publisher);
  }
}
