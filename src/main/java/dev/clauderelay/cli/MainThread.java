package dev.clauderelay.cli;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one place the CLI waits for a Vert.x future: on the command's own thread, while starting or
 * stopping. Waiting on an event loop would deadlock it, so that is refused outright.
 */
final class MainThread {
  private MainThread() {}

  static <T> T await(Future<T> future, long timeoutMs)
      throws ExecutionException, TimeoutException, InterruptedException {
    if (Context.isOnVertxThread()) {
      throw new IllegalStateException(
          "the CLI waits for futures on its own thread only, never on a Vert.x thread");
    }
    return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
  }
}
