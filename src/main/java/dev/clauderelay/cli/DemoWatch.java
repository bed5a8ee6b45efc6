package dev.clauderelay.cli;

import dev.clauderelay.cli.DemoSummary.Change;
import dev.clauderelay.health.HealthVerticle;
import dev.clauderelay.region.Region;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records, from the moment {@link #start()} is called, each region's breaker transitions (a
 * listener on the breaker) and health-state changes (the {@code claude.health} events the prober
 * publishes), with their time since the start.
 */
final class DemoWatch {
  private final Queue<Change> breakers = new ConcurrentLinkedQueue<>();
  private final Queue<Change> states = new ConcurrentLinkedQueue<>();
  private final MessageConsumer<JsonObject> health;
  private volatile long startNanos;
  private volatile boolean started;

  DemoWatch(GatewayStack stack) {
    for (Region region : stack.regions().regions()) {
      // Called inside the breaker's lock: only record.
      region
          .breaker()
          .addListener((from, to) -> record(breakers, region.name(), from.name(), to.name()));
    }
    health =
        stack
            .vertx()
            .eventBus()
            .consumer(
                HealthVerticle.ADDRESS,
                msg -> {
                  JsonObject event = msg.body();
                  String previous = event.getString("previous");
                  String state = event.getString("state");
                  if (previous == null || !previous.equals(state)) {
                    record(states, event.getString("region"), previous, state);
                  }
                });
  }

  /** Completes once the health events are subscribed to. */
  Future<Void> ready() {
    return health.completion();
  }

  /** From now on, changes are recorded, their times counted from here. */
  void start() {
    startNanos = System.nanoTime();
    started = true;
  }

  /** Milliseconds since {@link #start()}. */
  long elapsedMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  List<Change> breakerTransitions() {
    return List.copyOf(breakers);
  }

  List<Change> stateChanges() {
    return List.copyOf(states);
  }

  private void record(Queue<Change> into, String region, String from, String to) {
    if (started) {
      into.add(new Change(elapsedMs(), region, from, to));
    }
  }
}
