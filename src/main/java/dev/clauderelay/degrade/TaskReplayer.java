package dev.clauderelay.degrade;

import dev.clauderelay.api.Message;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pending tasks once a region is usable again: oldest first, one at a time, each through
 * the executor the engine supplies (the pipeline, so its rate pacing spaces them: no thundering
 * herd after an outage).
 *
 * <p>Per task: QUEUED → RUNNING (committed) → executor → DONE with the message, or FAILED with the
 * error (committed) → published on {@link TaskEvents#ADDRESS}. The store only lets a RUNNING task
 * finish, and only once, so each task is completed and published once. The drain stops when the
 * executor reports that no region could take the task, or that the regions failed it ({@link
 * ReplayVerdict}); the task goes back to QUEUED, and the next {@link #regionUsable()} (or a recheck
 * after {@code recheckMs}) resumes. A task the regions keep failing is FAILED after {@code
 * maxAttempts}.
 *
 * <p>All its work runs on the context it was created on; {@link #regionUsable()} may be called from
 * any thread.
 */
public final class TaskReplayer {
  private static final Logger LOG = LoggerFactory.getLogger(TaskReplayer.class);

  public static final int DEFAULT_MAX_ATTEMPTS = 5;

  /** Milliseconds: 30 seconds between drains while tasks wait and nothing says a region is up. */
  public static final long DEFAULT_RECHECK_MS = 30_000;

  private final Vertx vertx;
  private final Context ctx;
  private final PendingTaskStore store;
  private final Function<Task, Future<Message>> executor;
  private final int maxAttempts;
  private final long recheckMs;
  private final List<Promise<Void>> idleWaiters = new ArrayList<>();

  private boolean draining;
  private boolean signalled;
  private boolean closed;
  private long recheckTimer = -1;
  private long completed;

  public TaskReplayer(
      Vertx vertx, PendingTaskStore store, Function<Task, Future<Message>> executor) {
    this(vertx, store, executor, DEFAULT_MAX_ATTEMPTS, DEFAULT_RECHECK_MS);
  }

  /**
   * @param executor runs one task's request and completes with its Message; fails with the
   *     pipeline's final exception ({@code NoUsableRegionException} when no region could take it)
   * @param maxAttempts region-fault attempts after which a task is FAILED
   * @param recheckMs after a drain stopped with tasks left, drain again after this long; 0 waits
   *     for {@link #regionUsable()} only
   */
  public TaskReplayer(
      Vertx vertx,
      PendingTaskStore store,
      Function<Task, Future<Message>> executor,
      int maxAttempts,
      long recheckMs) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    this.store = store;
    this.executor = executor;
    this.maxAttempts = maxAttempts;
    this.recheckMs = recheckMs;
  }

  /** A region became usable (or may have): drain the queue unless a drain is running. */
  public void regionUsable() {
    ctx.runOnContext(v -> drain());
  }

  /** Completes when no drain is running (at once when idle). */
  public Future<Void> idle() {
    Promise<Void> p = Promise.promise();
    ctx.runOnContext(
        v -> {
          if (draining) {
            idleWaiters.add(p);
          } else {
            p.complete();
          }
        });
    return p.future();
  }

  /** Tasks this replayer finished (DONE or FAILED) and published. */
  public Future<Long> completed() {
    Promise<Long> p = Promise.promise();
    ctx.runOnContext(v -> p.complete(completed));
    return p.future();
  }

  /** Stops scheduling; a task already running still finishes and is recorded. */
  public void close() {
    ctx.runOnContext(
        v -> {
          closed = true;
          cancelRecheck();
        });
  }

  private void drain() {
    if (closed) {
      return;
    }
    cancelRecheck();
    if (draining) {
      signalled = true;
      return;
    }
    draining = true;
    signalled = false;
    step();
  }

  private void step() {
    if (closed) {
      stop(false);
      return;
    }
    store
        .nextQueued()
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.error("pending tasks: cannot read the store; replay stops", ar.cause());
                stop(true);
              } else if (ar.result().isEmpty()) {
                stop(false);
              } else {
                start(ar.result().get());
              }
            });
  }

  private void start(Task queued) {
    store
        .markRunning(queued.id())
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.error("pending tasks: cannot mark {} running", queued.id(), ar.cause());
                stop(true);
              } else if (ar.result().isEmpty()) {
                step(); // it left QUEUED meanwhile
              } else {
                execute(ar.result().get());
              }
            });
  }

  private void execute(Task task) {
    Future<Message> outcome;
    try {
      outcome = executor.apply(task);
      if (outcome == null) {
        outcome = Future.failedFuture(new IllegalStateException("task executor returned null"));
      }
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    // The executor's future may complete on the pipeline's context; continue on ours.
    outcome.onComplete(ar -> ctx.runOnContext(v -> afterRun(task, ar)));
  }

  private void afterRun(Task task, AsyncResult<Message> ar) {
    if (ar.succeeded() && ar.result() != null) {
      record(store.markDone(task.id(), ar.result()));
      return;
    }
    Throwable cause =
        ar.failed() ? ar.cause() : new IllegalStateException("task executor gave no message");
    switch (ReplayVerdict.of(cause)) {
      case NO_REGION -> requeue(task, true);
      case REGION_FAULT -> {
        if (task.attempts() >= maxAttempts) {
          LOG.warn(
              "pending task {} failed after {} attempts: {}", task.id(), task.attempts(), cause);
          record(store.markFailed(task.id(), ReplayVerdict.errorJson(cause)));
        } else {
          requeue(task, false);
        }
      }
      case REQUEST_FAULT -> record(store.markFailed(task.id(), ReplayVerdict.errorJson(cause)));
    }
  }

  private void requeue(Task task, boolean undoAttempt) {
    store
        .requeue(task.id(), undoAttempt)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.error("pending tasks: cannot requeue {}", task.id(), ar.cause());
              }
              stop(true);
            });
  }

  /** Publishes the task once its final state is committed, then goes on with the next. */
  private void record(Future<Optional<Task>> finished) {
    finished.onComplete(
        ar -> {
          if (ar.failed()) {
            LOG.error("pending tasks: cannot record a result; replay stops", ar.cause());
            stop(true);
            return;
          }
          ar.result()
              .ifPresent(
                  t -> {
                    completed++;
                    LOG.info(
                        "pending task {} completed state={} attempts={}",
                        t.id(),
                        t.state(),
                        t.attempts());
                    vertx.eventBus().publish(TaskEvents.ADDRESS, TaskEvents.completion(t));
                  });
          step();
        });
  }

  private void stop(boolean tasksLeft) {
    draining = false;
    if (signalled && !closed) {
      drain(); // a region was reported usable while this drain was finishing: try again
      return;
    }
    if (tasksLeft && recheckMs > 0 && !closed) {
      recheckTimer =
          vertx.setTimer(
              recheckMs,
              t -> {
                recheckTimer = -1;
                drain();
              });
    }
    List<Promise<Void>> waiters = new ArrayList<>(idleWaiters);
    idleWaiters.clear();
    waiters.forEach(Promise::complete);
  }

  private void cancelRecheck() {
    if (recheckTimer >= 0) {
      vertx.cancelTimer(recheckTimer);
      recheckTimer = -1;
    }
  }
}
