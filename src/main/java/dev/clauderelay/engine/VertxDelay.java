package dev.clauderelay.engine;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Keeps the pipeline's waits on the caller's context: its retry timers are armed there, so that a
 * retry never resumes on a foreign thread (Mutiny's own delays would run on its worker pool).
 */
final class VertxDelay {
  private VertxDelay() {}

  /** Runs {@code action} on {@code ctx}: now if already there, else scheduled. */
  static void onContext(Context ctx, Runnable action) {
    if (Vertx.currentContext() == ctx) {
      action.run();
    } else {
      ctx.runOnContext(v -> action.run());
    }
  }
}
