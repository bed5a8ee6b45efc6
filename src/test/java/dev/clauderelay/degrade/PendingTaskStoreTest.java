package dev.clauderelay.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.metrics.MetricNames;
import dev.clauderelay.metrics.RelayMetrics;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.BlockedThreadWatch;
import dev.clauderelay.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PendingTaskStoreTest {
  @TempDir Path dir;

  private BlockedThreadWatch watch;
  private Vertx vertx;
  private Context ctx;
  private final MutableClock clock = new MutableClock();
  private PendingTaskStore store;

  @BeforeEach
  void start() {
    // Coarse on purpose: the file I/O guard in TaskFile is the precise check.
    watch = new BlockedThreadWatch(1000);
    vertx = watch.vertx();
    ctx = vertx.getOrCreateContext();
  }

  @AfterEach
  void stop() {
    if (store != null) {
      Await.result(store.close());
    }
    List<String> blocked = watch.warnings();
    watch.close();
    assertTrue(blocked.isEmpty(), "event loop blocked:\n" + String.join("\n", blocked));
  }

  @Test
  void sameIdempotencyKeyGivesTheSameTask() {
    store = open(10);
    EnqueueResult first = call(() -> store.enqueue("key-1", request("a"), headers()));
    EnqueueResult again = call(() -> store.enqueue("key-1", request("a"), headers()));
    assertTrue(first.created());
    assertFalse(again.created());
    assertEquals(first.task().id(), again.task().id());
    assertEquals(1, call(store::pending).size());
    assertEquals(1, store.pendingCount());

    // Two tasks without a key are two tasks.
    assertNotEquals(
        call(() -> store.enqueue(null, request("b"), headers())).task().id(),
        call(() -> store.enqueue(null, request("b"), headers())).task().id());
  }

  @Test
  void aKeyReusedForAnotherRequestIsRefused() {
    store = open(10);
    String id = call(() -> store.enqueue("key-1", request("a"), headers())).task().id();
    IdempotencyKeyReusedException e =
        assertInstanceOf(
            IdempotencyKeyReusedException.class,
            Await.failure(on(() -> store.enqueue("key-1", request("other"), headers()))));
    assertEquals(id, e.taskId());
  }

  @Test
  void theBoundRefusesClearlyAndStoresNothing() {
    store = open(2);
    call(() -> store.enqueue("k1", request("1"), headers()));
    call(() -> store.enqueue("k2", request("2"), headers()));
    PendingQueueFullException full =
        assertInstanceOf(
            PendingQueueFullException.class,
            Await.failure(on(() -> store.enqueue("k3", request("3"), headers()))));
    assertEquals(2, full.limit());
    assertTrue(full.getMessage().contains("full"));
    assertEquals(2, call(store::pending).size());
    // A known key is still answered when full: it takes no new room.
    assertFalse(call(() -> store.enqueue("k1", request("1"), headers())).created());

    // A finished task frees its room.
    String id = call(store::nextQueued).orElseThrow().id();
    call(() -> store.markRunning(id));
    call(() -> store.markDone(id, Messages.text("ok")));
    assertTrue(call(() -> store.enqueue("k3", request("3"), headers())).created());
  }

  @Test
  void zeroMaxPendingNeverQueues() {
    store = open(0);
    assertInstanceOf(
        PendingQueueFullException.class,
        Await.failure(on(() -> store.enqueue("k", request("x"), headers()))));
  }

  @Test
  void pendingIsFifoAndStatesMoveOnlyForward() {
    store = open(10);
    String a = call(() -> store.enqueue("a", request("a"), headers())).task().id();
    String b = call(() -> store.enqueue("b", request("b"), headers())).task().id();
    String c = call(() -> store.enqueue("c", request("c"), headers())).task().id();
    assertEquals(List.of(a, b, c), call(store::pending).stream().map(Task::id).toList());

    Task running = call(() -> store.markRunning(a)).orElseThrow();
    assertEquals(TaskState.RUNNING, running.state());
    assertEquals(1, running.attempts());
    assertTrue(call(() -> store.markRunning(a)).isEmpty(), "not QUEUED any more");
    assertEquals(b, call(store::nextQueued).orElseThrow().id(), "a RUNNING task is skipped");

    assertTrue(call(() -> store.markDone(b, Messages.text("x"))).isEmpty(), "b never ran");
    Task done = call(() -> store.markDone(a, Messages.text("answer"))).orElseThrow();
    assertEquals(TaskState.DONE, done.state());
    assertTrue(call(() -> store.markDone(a, Messages.text("again"))).isEmpty(), "done once");
    assertEquals("answer", call(() -> store.get(a)).orElseThrow().message().orElseThrow().text());

    Task failed =
        call(() -> store.markFailed(c, new JsonObject().put("type", "invalid_request_error")))
            .orElseThrow();
    assertEquals(TaskState.FAILED, failed.state());
    assertEquals(List.of(b), call(store::pending).stream().map(Task::id).toList());
    assertEquals(1, store.pendingCount());

    JsonObject status = call(() -> store.get(a)).orElseThrow().toStatusJson();
    assertEquals("task", status.getString("type"));
    assertEquals(a, status.getString("task_id"));
    assertEquals("DONE", status.getString("state"));
    assertEquals(
        "answer",
        status.getJsonObject("message").getJsonArray("content").getJsonObject(0).getString("text"));
    assertFalse(status.containsKey("request"), "the request is not echoed");
  }

  @Test
  void reopeningQueuesRunningTasksAgainWithTheirAttempts() {
    store = open(10);
    String a = call(() -> store.enqueue("a", request("a"), headers())).task().id();
    String b = call(() -> store.enqueue("b", request("b"), headers())).task().id();
    call(() -> store.markRunning(a));
    Await.result(store.close());

    store = open(10);
    assertEquals(1, store.recoveredInFlight());
    Task back = call(() -> store.get(a)).orElseThrow();
    assertEquals(TaskState.QUEUED, back.state());
    assertEquals(1, back.attempts());
    assertEquals(List.of(a, b), call(store::pending).stream().map(Task::id).toList());
    assertEquals(request("a"), back.request());
    assertEquals(headers(), back.headers());
    assertFalse(call(() -> store.enqueue("a", request("a"), headers())).created(), "key survives");
  }

  @Test
  void credentialsAreNeverStored() {
    store = open(10);
    Map<String, String> sent =
        Map.of(
            "Anthropic-Version", "2023-06-01",
            "Authorization", "Bearer gateway-token",
            "X-Api-Key", "sk-ant-secret",
            "Cookie", "s=1");
    String id = call(() -> store.enqueue("k", request("a"), sent)).task().id();
    assertEquals(
        Map.of("anthropic-version", "2023-06-01"),
        call(() -> store.get(id)).orElseThrow().headers());
  }

  @Test
  void finishedTasksAreKeptForTheirRetentionThenForgotten() {
    store =
        Await.result(
            PendingTaskStore.open(
                vertx, new PendingStoreOptions(dir, 10, 60_000, 100, true), clock, null));
    String id = call(() -> store.enqueue("k", request("a"), headers())).task().id();
    call(() -> store.markRunning(id));
    call(() -> store.markDone(id, Messages.text("x")));
    clock.advanceMs(59_999);
    assertTrue(call(() -> store.get(id)).isPresent());
    clock.advanceMs(1);
    // Purged at the next change (or open): after that the key starts a new task.
    EnqueueResult fresh = call(() -> store.enqueue(null, request("b"), headers()));
    String other = call(() -> store.enqueue(null, request("c"), headers())).task().id();
    call(() -> store.markRunning(fresh.task().id()));
    call(() -> store.markDone(fresh.task().id(), Messages.text("y")));
    assertTrue(call(() -> store.get(id)).isEmpty());
    assertTrue(call(() -> store.enqueue("k", request("a"), headers())).created());
    assertTrue(call(() -> store.get(other)).isPresent());
  }

  @Test
  void pendingGaugeFollowsTheStore() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    store =
        Await.result(
            PendingTaskStore.open(
                vertx, PendingStoreOptions.of(dir, 10), clock, new RelayMetrics(registry)));
    call(() -> store.enqueue("a", request("a"), headers()));
    call(() -> store.enqueue("b", request("b"), headers()));
    System.gc(); // the gauge's source must be held strongly
    assertEquals(2.0, registry.get(MetricNames.PENDING_TASKS).gauge().value());
  }

  @Test
  void fileOperationsRefuseToRunOnAnEventLoop() throws Exception {
    PendingStoreOptions options = PendingStoreOptions.of(dir.resolve("guard"), 10);
    Promise<Throwable> seen = Promise.promise();
    ctx.runOnContext(
        v -> {
          try {
            TaskFile.open(options, clock).close();
            seen.complete(null);
          } catch (Throwable t) {
            seen.complete(t);
          }
        });
    assertInstanceOf(IllegalStateException.class, Await.result(seen.future()));
  }

  private PendingTaskStore open(int max) {
    return Await.result(
        PendingTaskStore.open(vertx, PendingStoreOptions.of(dir, max), clock, null));
  }

  static JsonObject request(String text) {
    return new JsonObject()
        .put("model", "claude-sonnet-4-5")
        .put("max_tokens", 16)
        .put("messages", List.of(new JsonObject().put("role", "user").put("content", text)));
  }

  static Map<String, String> headers() {
    return Map.of("anthropic-version", "2023-06-01", "anthropic-beta", "b1");
  }

  /** Calls the store from an event loop, as the gateway does. */
  private <T> Future<T> on(Supplier<Future<T>> call) {
    Promise<T> p = Promise.promise();
    ctx.runOnContext(v -> call.get().onComplete(p));
    return p.future();
  }

  private <T> T call(Supplier<Future<T>> call) {
    return Await.result(on(call));
  }
}
