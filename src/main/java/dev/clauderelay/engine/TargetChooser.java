package dev.clauderelay.engine;

import dev.clauderelay.api.error.NoUsableRegionException;
import dev.clauderelay.region.ApiKey;
import dev.clauderelay.region.Region;
import dev.clauderelay.region.RegionState;
import dev.clauderelay.region.RegionTable;
import dev.clauderelay.transport.RegionTransport;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;

/** Picks the region and key of the next attempt from the router's order. */
final class TargetChooser {
  private TargetChooser() {}

  /**
   * The first routed region not in {@code avoid} with a usable key; if all usable ones are to be
   * avoided, the best of them anyway (the caller has decided to wait and come back).
   */
  static Target choose(
      RegionTable table,
      Map<String, RegionTransport> transports,
      Set<String> avoid,
      long now,
      DoubleSupplier random) {
    List<Region> order = table.route(now, random);
    for (boolean honourAvoid : new boolean[] {true, false}) {
      for (Region region : order) {
        if (honourAvoid && avoid.contains(region.name())) {
          continue;
        }
        Optional<ApiKey> key = region.keys().next(now);
        if (key.isPresent()) {
          return new Target(region, transports.get(region.name()), key.get());
        }
      }
    }
    throw noUsableRegion(table, now);
  }

  /** Whether some region outside {@code avoid} could take an attempt now. */
  static boolean hasAlternative(RegionTable table, Set<String> avoid, long now) {
    for (Region region : table.route(now, () -> 0.0)) {
      if (!avoid.contains(region.name()) && region.keys().hasAvailable(now)) {
        return true;
      }
    }
    return false;
  }

  private static NoUsableRegionException noUsableRegion(RegionTable table, long now) {
    StringBuilder why = new StringBuilder("no usable region:");
    long retryAt = -1;
    for (Region region : table.regions()) {
      why.append(' ').append(region.name()).append(" (");
      if (region.state() == RegionState.AUTH_FAILED || !region.keys().hasUnrevoked()) {
        why.append(region.keys().keys().isEmpty() ? "no API key configured" : "all keys revoked");
      } else if (!region.breaker().allowsTraffic()) {
        why.append("breaker ").append(region.breaker().state());
      } else if (!region.keys().hasAvailable(now)) {
        long at = region.keys().earliestAvailableAt(now);
        why.append("all keys rate-limited for ").append(Math.max(0, at - now)).append(" ms");
        retryAt = retryAt < 0 ? at : Math.min(retryAt, at);
      } else {
        why.append(region.state());
      }
      why.append(");");
    }
    why.setLength(why.length() - 1);
    return new NoUsableRegionException(why.toString(), retryAt);
  }
}
