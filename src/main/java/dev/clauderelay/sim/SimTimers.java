package dev.clauderelay.sim;

import io.vertx.core.Vertx;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every delay the simulator takes is a Vert.x timer scheduled here, so that {@link #cancelAll()} on
 * close leaves no timer firing into a closed server.
 */
final class SimTimers {

  private final Vertx vertx;
  private final Set<Long> pending = ConcurrentHashMap.newKeySet();

  SimTimers(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Runs {@code task} after {@code delayMs}, or right away when the delay is 0 or less. */
  void schedule(long delayMs, Runnable task) {
    if (delayMs <= 0) {
      task.run();
      return;
    }
    long id =
        vertx.setTimer(
            delayMs,
            fired -> {
              pending.remove(fired);
              task.run();
            });
    pending.add(id);
  }

  void cancelAll() {
    for (Long id : pending) {
      vertx.cancelTimer(id);
    }
    pending.clear();
  }
}
