package dev.clauderelay.degrade;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how much the pending-task store keeps.
 *
 * @param dir directory of the store file ({@code degrade.pendingDir}); created when missing
 * @param maxPendingTasks unfinished (QUEUED or RUNNING) tasks kept before new ones are refused
 *     ({@code degrade.maxPendingTasks}); 0 refuses all
 * @param retainFinishedMs how long a DONE or FAILED task stays readable (and its idempotency key
 *     remembered) after it finished, milliseconds
 * @param maxFinishedTasks finished tasks kept at most; the oldest go first beyond it
 * @param fsync force each commit to the disk ({@code FileChannel.force}): survives power loss, not
 *     only a killed process, for about a millisecond per change on an SSD
 */
public record PendingStoreOptions(
    Path dir, int maxPendingTasks, long retainFinishedMs, int maxFinishedTasks, boolean fsync) {
  /** The store's file name inside {@link #dir}. */
  public static final String FILE_NAME = "pending-tasks.mv.db";

  /** Milliseconds: 24 hours, the usual life of an idempotency key. */
  public static final long DEFAULT_RETAIN_FINISHED_MS = 86_400_000;

  public static final int DEFAULT_MAX_FINISHED_TASKS = 100_000;

  public PendingStoreOptions {
    Objects.requireNonNull(dir, "dir");
    if (maxPendingTasks < 0 || maxFinishedTasks < 0 || retainFinishedMs < 0) {
      throw new IllegalArgumentException("pending store limits must not be negative");
    }
  }

  /** The config's {@code degrade:} section with the default retention, fsync on. */
  public static PendingStoreOptions of(Path dir, int maxPendingTasks) {
    return new PendingStoreOptions(
        dir, maxPendingTasks, DEFAULT_RETAIN_FINISHED_MS, DEFAULT_MAX_FINISHED_TASKS, true);
  }

  public Path file() {
    return dir.resolve(FILE_NAME);
  }
}
