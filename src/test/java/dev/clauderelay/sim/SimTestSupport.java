package dev.clauderelay.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Starting a simulator with a client, and running requests one after another. */
final class SimTestSupport {

  /** A started simulator and a client for it. */
  record Started(SimulatedAnthropic sim, SimHttp http) {}

  private SimTestSupport() {}

  static Future<Started> start(Vertx vertx, SimOptions options) {
    return SimulatedAnthropic.start(vertx, options)
        .map(sim -> new Started(sim, new SimHttp(vertx, vertx.createHttpClient(), sim.port())));
  }

  /** Runs {@code count} requests strictly one after another and collects their replies. */
  static Future<List<SimHttp.Reply>> sequential(int count, Supplier<Future<SimHttp.Reply>> call) {
    List<SimHttp.Reply> replies = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < count; i++) {
      chain =
          chain
              .compose(v -> call.get())
              .map(
                  reply -> {
                    replies.add(reply);
                    return null;
                  });
    }
    return chain.map(v -> replies);
  }
}
