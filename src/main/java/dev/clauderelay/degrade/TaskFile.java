package dev.clauderelay.degrade;

import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The pending tasks in one H2 MVStore file. Blocking file I/O: {@link PendingTaskStore} runs every
 * call on its one worker thread, so this class is single-threaded by construction.
 *
 * <p>Every change is one MVStore version: the maps are changed, then {@link MVStore#commit()}
 * writes them as one chunk (and {@code sync()} forces it to the disk when {@code fsync} is on)
 * before the method returns. Auto-commit is off (no background writer, no write when a buffer
 * fills), so a version never holds half a change: after a crash the file is at the last completed
 * method, never between two maps' updates.
 *
 * <p>Maps: {@code tasks} id → task JSON; {@code keys} idempotency key → id; {@code unfinished}
 * arrival seq → id of each QUEUED or RUNNING task (FIFO order, and the bound's count); {@code
 * finished} finish seq → id (retention order); {@code counters}.
 */
final class TaskFile implements AutoCloseable {
  private static final int COMPACT_EVERY = 256;

  private final PendingStoreOptions options;
  private final Clock clock;
  private final MVStore store;
  private final MVMap<String, String> tasks;
  private final MVMap<String, String> keys;
  private final MVMap<Long, String> unfinished;
  private final MVMap<Long, String> finished;
  private final MVMap<String, Long> counters;
  private final int recoveredInFlight;
  private int changesSinceCompact;

  private TaskFile(PendingStoreOptions options, Clock clock, MVStore store) {
    this.options = options;
    this.clock = clock;
    this.store = store;
    this.tasks = store.openMap("tasks");
    this.keys = store.openMap("keys");
    this.unfinished = store.openMap("unfinished");
    this.finished = store.openMap("finished");
    this.counters = store.openMap("counters");
    this.recoveredInFlight = recover();
    purge();
    commit();
  }

  /** Opens (or creates) the file; RUNNING tasks left by a crash go back to QUEUED. */
  static TaskFile open(PendingStoreOptions options, Clock clock) throws IOException {
    offEventLoop();
    Files.createDirectories(options.dir());
    MVStore store =
        new MVStore.Builder()
            .fileName(options.file().toString())
            .autoCommitDisabled()
            .autoCommitBufferSize(0)
            .compress()
            .open();
    try {
      return new TaskFile(options, clock, store);
    } catch (RuntimeException e) {
      store.closeImmediately();
      throw e;
    }
  }

  /** Tasks that were RUNNING when the file was last left without a clean close. */
  int recoveredInFlight() {
    return recoveredInFlight;
  }

  EnqueueResult enqueue(String idempotencyKey, JsonObject request, Map<String, String> headers) {
    offEventLoop();
    if (idempotencyKey != null) {
      String known = keys.get(idempotencyKey);
      Optional<Task> earlier = known == null ? Optional.empty() : get(known);
      if (earlier.isPresent()) {
        if (!sameRequest(earlier.get().request(), request)) {
          throw new IdempotencyKeyReusedException(earlier.get().id());
        }
        return new EnqueueResult(earlier.get(), false);
      }
    }
    if (unfinished.size() >= options.maxPendingTasks()) {
      throw new PendingQueueFullException(options.maxPendingTasks());
    }
    long seq = next("seq");
    long now = clock.millis();
    String id = "task_" + UUID.randomUUID().toString().replace("-", "");
    Task task =
        new Task(
            id,
            idempotencyKey,
            request.copy(),
            headers,
            TaskState.QUEUED,
            0,
            now,
            now,
            seq,
            null,
            null);
    tasks.put(id, task.toJson().encode());
    if (idempotencyKey != null) {
      keys.put(idempotencyKey, id);
    }
    unfinished.put(seq, id);
    commit();
    return new EnqueueResult(task, true);
  }

  Optional<Task> get(String id) {
    offEventLoop();
    String json = tasks.get(id);
    return json == null ? Optional.empty() : Optional.of(Task.fromJson(new JsonObject(json)));
  }

  /** Unfinished tasks (QUEUED and RUNNING), oldest first. */
  List<Task> pending() {
    offEventLoop();
    List<Task> out = new ArrayList<>();
    for (Iterator<String> it = unfinished.values().iterator(); it.hasNext(); ) {
      get(it.next()).ifPresent(out::add);
    }
    return out;
  }

  /** The oldest QUEUED task. */
  Optional<Task> nextQueued() {
    offEventLoop();
    for (Iterator<String> it = unfinished.values().iterator(); it.hasNext(); ) {
      Optional<Task> t = get(it.next());
      if (t.isPresent() && t.get().state() == TaskState.QUEUED) {
        return t;
      }
    }
    return Optional.empty();
  }

  int pendingCount() {
    return unfinished.size();
  }

  /** QUEUED → RUNNING, one more attempt; empty when the task is not QUEUED. */
  Optional<Task> markRunning(String id) {
    return change(
        id,
        t ->
            t.state() == TaskState.QUEUED
                ? t.with(TaskState.RUNNING, t.attempts() + 1, clock.millis(), null, null)
                : null);
  }

  /** RUNNING → QUEUED; {@code undoAttempt} when the executor never reached an upstream. */
  Optional<Task> requeue(String id, boolean undoAttempt) {
    return change(
        id,
        t ->
            t.state() == TaskState.RUNNING
                ? t.with(
                    TaskState.QUEUED,
                    undoAttempt ? Math.max(0, t.attempts() - 1) : t.attempts(),
                    clock.millis(),
                    null,
                    null)
                : null);
  }

  /** RUNNING → DONE with the answer; empty when it was not RUNNING (so done at most once). */
  Optional<Task> markDone(String id, JsonObject message) {
    return finish(
        id,
        t ->
            t.state() == TaskState.RUNNING
                ? t.with(TaskState.DONE, t.attempts(), clock.millis(), message.copy(), null)
                : null);
  }

  /** QUEUED or RUNNING → FAILED with the error; empty when it had already finished. */
  Optional<Task> markFailed(String id, JsonObject error) {
    return finish(
        id,
        t ->
            t.state().isFinal()
                ? null
                : t.with(TaskState.FAILED, t.attempts(), clock.millis(), null, error.copy()));
  }

  @Override
  public void close() {
    offEventLoop();
    if (!store.isClosed()) {
      store.close(200); // a little compaction on the way out
    }
  }

  private Optional<Task> change(String id, UnaryOperator<Task> transition) {
    Optional<Task> current = get(id);
    Task next = current.map(transition).orElse(null);
    if (next == null) {
      return Optional.empty();
    }
    tasks.put(id, next.toJson().encode());
    commit();
    return Optional.of(next);
  }

  private Optional<Task> finish(String id, UnaryOperator<Task> transition) {
    Optional<Task> current = get(id);
    Task next = current.map(transition).orElse(null);
    if (next == null) {
      return Optional.empty();
    }
    tasks.put(id, next.toJson().encode());
    unfinished.remove(next.seq());
    finished.put(next("finished"), id);
    purge();
    commit();
    if (++changesSinceCompact >= COMPACT_EVERY) {
      changesSinceCompact = 0;
      // Finished tasks leave holes in old chunks; rewrite the emptiest so the file stays small.
      if (store.compact(50, 1 << 20)) {
        commit();
      }
    }
    return Optional.of(next);
  }

  private int recover() {
    int count = 0;
    long now = clock.millis();
    for (Iterator<String> it = unfinished.values().iterator(); it.hasNext(); ) {
      String id = it.next();
      Optional<Task> t = get(id);
      if (t.isPresent() && t.get().state() == TaskState.RUNNING) {
        // It may have reached an upstream before the crash; it runs again (at least once).
        Task back = t.get().with(TaskState.QUEUED, t.get().attempts(), now, null, null);
        tasks.put(id, back.toJson().encode());
        count++;
      }
    }
    return count;
  }

  /** Drops finished tasks past their retention, or beyond the count kept, oldest first. */
  private void purge() {
    long now = clock.millis();
    while (!finished.isEmpty()) {
      Long first = finished.firstKey();
      String id = finished.get(first);
      Optional<Task> t = get(id);
      boolean tooMany = finished.size() > options.maxFinishedTasks();
      boolean expired = t.isEmpty() || t.get().updatedAtMs() + options.retainFinishedMs() <= now;
      if (!tooMany && !expired) {
        return;
      }
      finished.remove(first);
      tasks.remove(id);
      String key = t.map(Task::idempotencyKey).orElse(null);
      if (key != null && id.equals(keys.get(key))) {
        keys.remove(key);
      }
    }
  }

  /**
   * Every file operation checks its thread: a disk sync on an event loop would stall every
   * connection on it, and that mistake should fail loudly in tests, not show as latency.
   */
  private static void offEventLoop() {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("pending-task file I/O on an event loop thread");
    }
  }

  private long next(String counter) {
    long value = counters.getOrDefault(counter, 0L);
    counters.put(counter, value + 1);
    return value;
  }

  private void commit() {
    offEventLoop();
    store.commit();
    if (options.fsync()) {
      store.sync();
    }
  }

  private static boolean sameRequest(JsonObject a, JsonObject b) {
    return CanonicalJson.encode(a).equals(CanonicalJson.encode(b));
  }
}
