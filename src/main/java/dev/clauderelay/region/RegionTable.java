package dev.clauderelay.region;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;

/** The configured regions, in configured order (the preference when latencies tie). */
public final class RegionTable {
  private final List<Region> regions;

  public RegionTable(List<Region> regions) {
    if (regions.isEmpty()) {
      throw new IllegalArgumentException("at least one region is needed");
    }
    Set<String> names = new HashSet<>();
    for (Region r : regions) {
      if (!names.add(r.name())) {
        throw new IllegalArgumentException("region name '" + r.name() + "' is used twice");
      }
    }
    this.regions = List.copyOf(regions);
  }

  /** All regions, configured order. */
  public List<Region> regions() {
    return regions;
  }

  public Optional<Region> get(String name) {
    return regions.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /** Usable regions in the order a call should try them (see {@link Router}). */
  public List<Region> route(long nowMs, DoubleSupplier random) {
    return Router.order(regions, nowMs, random);
  }

  /** Readiness: at least one region can take a call now. */
  public boolean anyUsable(long nowMs) {
    return regions.stream().anyMatch(r -> r.usable(nowMs));
  }

  /**
   * For {@code GET /status}: {@code {"regions":[{"name","state","breaker","latencyMs",…}]}} in
   * configured order. Keys appear as fingerprints only, URLs without credentials.
   */
  public JsonObject snapshot(long nowMs) {
    JsonArray list = new JsonArray();
    regions.forEach(r -> list.add(r.snapshot(nowMs)));
    return new JsonObject().put("regions", list);
  }

  /** {@link #snapshot(long)} at the system clock's now. */
  public JsonObject snapshot() {
    return snapshot(System.currentTimeMillis());
  }

  /** Stops key-file watching and releases the breakers. */
  public void close() {
    for (Region r : regions) {
      r.keys().close();
      r.breaker().close();
    }
  }
}
