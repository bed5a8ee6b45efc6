package dev.clauderelay.degrade;

import dev.clauderelay.api.Message;
import dev.clauderelay.metrics.RelayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * Durable pending tasks (DESIGN.md "Degradation chain"): a request that carries an {@code
 * idempotency-key} (or {@code x-relay-queue: on}) and cannot be served is stored here, and {@link
 * TaskReplayer} runs it once a region is usable again.
 *
 * <p><b>Durability.</b> A returned future means the change is committed to the store file (an H2
 * MVStore chunk written, and forced to the disk unless {@code fsync} is off), so a {@code 202} is
 * only sent for a task that survives a killed process. See {@link TaskFile} and docs/degrade.md.
 *
 * <p><b>Threads.</b> All file I/O runs on one dedicated worker thread ({@code
 * relay-pending-store}), never on an event loop; calls are executed in the order made, so the store
 * is single-writer without locks. Futures complete on the caller's context.
 *
 * <p><b>Bound.</b> At most {@code maxPendingTasks} unfinished tasks; beyond it {@link #enqueue}
 * fails with {@link PendingQueueFullException}, nothing is dropped. Finished tasks are kept for
 * {@code retainFinishedMs} (their answer stays readable and their key keeps deduplicating).
 */
public final class PendingTaskStore {
  private static final Set<String> CREDENTIAL_HEADERS =
      Set.of("authorization", "x-api-key", "proxy-authorization", "cookie");

  private final WorkerExecutor worker;
  private final TaskFile file;
  private final AtomicLong pending = new AtomicLong();
  // Held here: Micrometer keeps a gauge's source only weakly.
  private final DoubleSupplier pendingGauge = pending::doubleValue;

  private PendingTaskStore(WorkerExecutor worker, TaskFile file, RelayMetrics metrics) {
    this.worker = worker;
    this.file = file;
    this.pending.set(file.pendingCount());
    if (metrics != null) {
      metrics.pendingTasks(pendingGauge);
    }
  }

  /**
   * Opens (or creates) the store under {@code options.dir()}. Tasks left RUNNING by a crash are
   * QUEUED again, with their attempt count ({@link #recoveredInFlight()}).
   *
   * @param metrics registers {@code anthropic_pending_tasks}, or null
   */
  public static Future<PendingTaskStore> open(
      Vertx vertx, PendingStoreOptions options, Clock clock, RelayMetrics metrics) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("relay-pending-store", 1);
    return worker
        .executeBlocking(() -> TaskFile.open(options, clock), true)
        .map(file -> new PendingTaskStore(worker, file, metrics))
        .onFailure(e -> worker.close());
  }

  public static Future<PendingTaskStore> open(
      Vertx vertx, PendingStoreOptions options, RelayMetrics metrics) {
    return open(vertx, options, Clock.systemUTC(), metrics);
  }

  /** Tasks that were RUNNING at the last crash and were queued again on open. */
  public int recoveredInFlight() {
    return file.recoveredInFlight();
  }

  /** Unfinished tasks (QUEUED or RUNNING) as of the last change; non-blocking. */
  public long pendingCount() {
    return pending.get();
  }

  /**
   * Stores a request, committed before the future completes. The same idempotency key gives the
   * same task (not a second one), whatever state it reached; a key with a different request fails
   * with {@link IdempotencyKeyReusedException}; a full queue with {@link
   * PendingQueueFullException}.
   *
   * @param idempotencyKey the client's key, or null for a task without one
   * @param headers request headers to forward when it runs ({@code anthropic-version}, {@code
   *     anthropic-beta}); credentials among them are dropped
   */
  public Future<EnqueueResult> enqueue(
      String idempotencyKey, JsonObject request, Map<String, String> headers) {
    JsonObject body = request.copy(); // the caller may go on changing its own copy
    Map<String, String> kept = forwardable(headers);
    return run(() -> file.enqueue(idempotencyKey, body, kept));
  }

  /**
   * Header names in lower case, credentials dropped: a stored task must not hold a client's token
   * (DESIGN.md "Secrets"), whatever the caller passed.
   */
  static Map<String, String> forwardable(Map<String, String> headers) {
    Map<String, String> kept = new TreeMap<>();
    if (headers != null) {
      headers.forEach(
          (name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!CREDENTIAL_HEADERS.contains(lower) && value != null) {
              kept.put(lower, value);
            }
          });
    }
    return kept;
  }

  public Future<Optional<Task>> get(String id) {
    return run(() -> file.get(id));
  }

  /** Unfinished tasks, oldest first. */
  public Future<List<Task>> pending() {
    return run(file::pending);
  }

  /** The oldest QUEUED task, if any. */
  public Future<Optional<Task>> nextQueued() {
    return run(file::nextQueued);
  }

  /** QUEUED → RUNNING (attempts + 1); empty when it was not QUEUED. */
  public Future<Optional<Task>> markRunning(String id) {
    return run(() -> file.markRunning(id));
  }

  /** RUNNING → QUEUED; {@code undoAttempt} when nothing reached an upstream. */
  public Future<Optional<Task>> requeue(String id, boolean undoAttempt) {
    return run(() -> file.requeue(id, undoAttempt));
  }

  /** RUNNING → DONE; empty when it was not RUNNING, so a task completes at most once. */
  public Future<Optional<Task>> markDone(String id, Message message) {
    JsonObject json = message.toJson().copy();
    return run(() -> file.markDone(id, json));
  }

  /** QUEUED or RUNNING → FAILED with an Anthropic error object; empty when already final. */
  public Future<Optional<Task>> markFailed(String id, JsonObject error) {
    JsonObject json = error.copy();
    return run(() -> file.markFailed(id, json));
  }

  /** Closes the file (cleanly: no recovery needed on the next open) and the worker. */
  public Future<Void> close() {
    return worker
        .executeBlocking(
            () -> {
              file.close();
              return (Void) null;
            },
            true)
        .eventually(worker::close);
  }

  private <T> Future<T> run(Callable<T> op) {
    return worker.executeBlocking(
        () -> {
          try {
            return op.call();
          } finally {
            pending.set(file.pendingCount());
          }
        },
        true);
  }
}
