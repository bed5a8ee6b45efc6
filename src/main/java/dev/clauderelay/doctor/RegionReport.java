package dev.clauderelay.doctor;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The checks of one region, in order.
 *
 * @param name the region's name
 * @param baseUrl its base URL, passwords and queries masked
 * @param checks every check, the skipped ones included
 */
public record RegionReport(String name, String baseUrl, List<CheckResult> checks) {
  public RegionReport {
    checks = List.copyOf(checks);
  }

  public boolean passed() {
    return checks.stream().noneMatch(CheckResult::failed);
  }

  /** The check that stopped the chain, or null when none failed. */
  public CheckResult firstFailure() {
    return checks.stream().filter(CheckResult::failed).findFirst().orElse(null);
  }

  public JsonObject toJson() {
    CheckResult failure = firstFailure();
    return new JsonObject()
        .put("name", name)
        .put("baseUrl", baseUrl)
        .put("ok", passed())
        .put("failedCheck", failure == null ? null : failure.id().id())
        .put("checks", new JsonArray(checks.stream().map(CheckResult::toJson).toList()));
  }
}
