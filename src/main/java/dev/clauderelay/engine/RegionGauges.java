package dev.clauderelay.engine;

import dev.clauderelay.metrics.RelayMetrics;
import dev.clauderelay.region.ApiKey;
import dev.clauderelay.region.ProbeResult;
import dev.clauderelay.region.Region;
import java.time.Clock;

/** Binds a region's live state to the gauges of DESIGN.md; read at scrape time, never stored. */
final class RegionGauges {
  private RegionGauges() {}

  static void register(RelayMetrics metrics, Region region, Clock clock) {
    metrics.region(
        region.name(),
        () -> region.breaker().state().name(),
        () -> region.usable(clock.millis()) ? 1.0 : 0.0,
        () -> {
          ProbeResult probe = region.lastProbe();
          return probe == null ? Double.NaN : probe.totalMs() / 1000.0;
        },
        () -> {
          long sum = 0;
          boolean known = false;
          for (ApiKey key : region.keys().keys()) {
            long remaining = region.pacer(key).serverRemaining();
            if (remaining >= 0) {
              sum += remaining;
              known = true;
            }
          }
          return known ? sum : Double.NaN;
        });
  }
}
