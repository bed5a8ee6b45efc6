package dev.clauderelay.doctor;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** Bounds a step in time: no check of doctor waits longer than its layer's limit. */
final class Limits {
  private Limits() {}

  /**
   * {@code work}'s outcome, or a {@link TimeoutException} after {@code ms}.
   *
   * @param discard what to do with a result that arrives after the time limit (e.g. close a
   *     socket); null for nothing
   */
  static <T> Future<T> within(Vertx vertx, long ms, Future<T> work, Consumer<T> discard) {
    Promise<T> outcome = Promise.promise();
    long timer =
        vertx.setTimer(
            ms, id -> outcome.tryFail(new TimeoutException("no answer within " + ms + " ms")));
    work.onComplete(
        ar -> {
          vertx.cancelTimer(timer);
          boolean taken =
              ar.succeeded() ? outcome.tryComplete(ar.result()) : outcome.tryFail(ar.cause());
          if (!taken && ar.succeeded() && discard != null) {
            discard.accept(ar.result());
          }
        });
    return outcome.future();
  }
}
