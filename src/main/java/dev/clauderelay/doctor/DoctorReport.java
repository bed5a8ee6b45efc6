package dev.clauderelay.doctor;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Everything {@code doctor} found.
 *
 * @param configSource where the configuration came from (a file, or the built-in defaults)
 * @param regions one report per region checked, in configuration order
 */
public record DoctorReport(String configSource, List<RegionReport> regions) {
  /** Every region passed. */
  public static final int EXIT_OK = 0;

  /** A check failed. */
  public static final int EXIT_FAILED = 1;

  /** The configuration could not be read (or named no such region): nothing was checked. */
  public static final int EXIT_CONFIG = 2;

  public DoctorReport {
    regions = List.copyOf(regions);
  }

  public boolean passed() {
    return regions.stream().allMatch(RegionReport::passed);
  }

  public int exitCode() {
    return passed() ? EXIT_OK : EXIT_FAILED;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("ok", passed())
        .put("exitCode", exitCode())
        .put("config", configSource)
        .put("regions", new JsonArray(regions.stream().map(RegionReport::toJson).toList()));
  }

  /**
   * The JSON document of a run that could not start: the configuration's problems, no regions.
   *
   * @param problems one line each, already free of secrets (the loader guarantees it)
   */
  public static JsonObject configFailureJson(String configSource, List<String> problems) {
    return new JsonObject()
        .put("ok", false)
        .put("exitCode", EXIT_CONFIG)
        .put("config", configSource)
        .put("configProblems", new JsonArray(List.copyOf(problems)))
        .put("regions", new JsonArray());
  }
}
