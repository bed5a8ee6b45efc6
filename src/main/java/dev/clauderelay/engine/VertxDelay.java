package dev.clauderelay.engine;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Mutiny delays on a Vert.x timer of the caller's context. Mutiny's own delays would run on its
 * worker pool and resume the pipeline on a foreign thread.
 */
final class VertxDelay {
  private VertxDelay() {}

  static <T> Uni<T> after(Context ctx, long delayMs, T value) {
    return Uni.createFrom()
        .emitter(
            em ->
                onContext(
                    ctx,
                    () -> {
                      Vertx vertx = ctx.owner();
                      long id = vertx.setTimer(Math.max(1, delayMs), t -> em.complete(value));
                      em.onTermination(() -> vertx.cancelTimer(id));
                    }));
  }

  /** Runs {@code action} on {@code ctx}: now if already there, else scheduled. */
  static void onContext(Context ctx, Runnable action) {
    if (Vertx.currentContext() == ctx) {
      action.run();
    } else {
      ctx.runOnContext(v -> action.run());
    }
  }
}
