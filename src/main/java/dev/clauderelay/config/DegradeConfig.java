package dev.clauderelay.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the relay does when every region fails: after the cache, an optional local model, then a
 * durable pending task replayed when a region recovers.
 *
 * @param localModel the local model, or null for none
 * @param pendingDir directory of the pending tasks; relative to the working directory
 * @param maxPendingTasks pending tasks kept before new ones are refused; 0 never queues
 */
public record DegradeConfig(LocalModelConfig localModel, Path pendingDir, int maxPendingTasks) {
  public static final Path DEFAULT_PENDING_DIR = Path.of("data", "pending");
  public static final int DEFAULT_MAX_PENDING_TASKS = 100_000;

  static final Range MAX_PENDING_TASKS = Range.of(0, 100_000_000);

  public DegradeConfig {
    Objects.requireNonNull(pendingDir, "pendingDir");
    MAX_PENDING_TASKS.checkInt("degrade.maxPendingTasks", maxPendingTasks);
  }

  public static DegradeConfig defaults() {
    return new DegradeConfig(null, DEFAULT_PENDING_DIR, DEFAULT_MAX_PENDING_TASKS);
  }

  static DegradeConfig read(Section s) {
    Section local = s.optionalSection("localModel");
    return new DegradeConfig(
        local == null ? null : LocalModelConfig.read(local),
        s.path("pendingDir", DEFAULT_PENDING_DIR),
        s.intIn("maxPendingTasks", DEFAULT_MAX_PENDING_TASKS, MAX_PENDING_TASKS));
  }

  public JsonObject toSafeJson() {
    return new JsonObject()
        .put("localModel", localModel == null ? null : localModel.toSafeJson())
        .put("pendingDir", pendingDir.toString())
        .put("maxPendingTasks", maxPendingTasks);
  }

  @Override
  public String toString() {
    return "DegradeConfig" + toSafeJson().encode();
  }
}
