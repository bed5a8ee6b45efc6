package dev.clauderelay.gateway;

import io.vertx.core.json.JsonObject;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;

/**
 * What the operations endpoints show of the regions: readiness ({@code /health/ready}) and the
 * snapshot of {@code /status}. The gateway may not reach into the engine's region table itself
 * (DESIGN.md's package table), so whoever built the client wires it, e.g. {@code
 * RegionStatus.of(table::anyUsable, table::snapshot)} over {@code client.engine().regions()}.
 */
public interface RegionStatus {
  /** At least one region can take a call at {@code nowMs} (epoch milliseconds). */
  boolean anyUsable(long nowMs);

  /** {@code {"regions":[{"name","state","breaker","latencyMs",…}]}}, without secrets. */
  JsonObject snapshot(long nowMs);

  static RegionStatus of(LongPredicate anyUsable, LongFunction<JsonObject> snapshot) {
    return new RegionStatus() {
      @Override
      public boolean anyUsable(long nowMs) {
        return anyUsable.test(nowMs);
      }

      @Override
      public JsonObject snapshot(long nowMs) {
        return snapshot.apply(nowMs);
      }
    };
  }
}
