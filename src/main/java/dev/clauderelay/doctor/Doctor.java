package dev.clauderelay.doctor;

import dev.clauderelay.config.RegionConfig;
import dev.clauderelay.config.RelayConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * Diagnoses the connection to regions, one after another in configuration order (one at a time, so
 * that the report reads like the checks ran, and a slow region does not hide another's timing).
 * Each region's chain stops at its first failing layer; the rest are reported skipped.
 */
public final class Doctor {
  private final Vertx vertx;
  private final DoctorOptions options;

  public Doctor(Vertx vertx, DoctorOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  /**
   * Checks {@code regions} (of {@code config}). Never fails: every problem is a check result. The
   * report holds no key, only fingerprints.
   *
   * @param configSource where the configuration came from, for the report
   */
  public Future<DoctorReport> examine(
      RelayConfig config, String configSource, List<RegionConfig> regions) {
    Redactor redactor = new Redactor(allKeys(config));
    Promise<DoctorReport> done = Promise.promise();
    // One context for every timer and callback of the run, whichever thread called.
    vertx
        .getOrCreateContext()
        .runOnContext(
            v -> {
              List<RegionReport> reports = new ArrayList<>();
              Future<Void> chain = Future.succeededFuture();
              for (RegionConfig region : regions) {
                chain =
                    chain.compose(
                        ignored ->
                            new RegionDiagnosis(vertx, config, region, options, redactor)
                                .run()
                                .map(
                                    report -> {
                                      reports.add(report);
                                      return null;
                                    }));
              }
              chain.map(ignored -> new DoctorReport(configSource, reports)).onComplete(done);
            });
    return done.future();
  }

  private static List<String> allKeys(RelayConfig config) {
    List<String> keys = new ArrayList<>();
    config.regions().forEach(r -> keys.addAll(r.apiKeys()));
    keys.addAll(config.gateway().tokens());
    return keys;
  }
}
