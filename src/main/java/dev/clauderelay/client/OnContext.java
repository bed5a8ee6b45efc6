package dev.clauderelay.client;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** Runs work on a given context: at once when already there, else scheduled in order. */
final class OnContext {
  private OnContext() {}

  static void run(Context ctx, Runnable action) {
    if (Vertx.currentContext() == ctx) {
      action.run();
    } else {
      ctx.runOnContext(v -> action.run());
    }
  }
}
