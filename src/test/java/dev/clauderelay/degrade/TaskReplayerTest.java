package dev.clauderelay.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.api.ErrorBody;
import dev.clauderelay.api.Message;
import dev.clauderelay.api.error.ApiException;
import dev.clauderelay.api.error.NoUsableRegionException;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.BlockedThreadWatch;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskReplayerTest {
  @TempDir Path dir;

  private BlockedThreadWatch watch;
  private Vertx vertx;
  private PendingTaskStore store;
  private final List<JsonObject> published = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    watch = new BlockedThreadWatch(1000);
    vertx = watch.vertx();
    store = Await.result(PendingTaskStore.open(vertx, PendingStoreOptions.of(dir, 100), null));
    Await.result(
        vertx
            .eventBus()
            .<JsonObject>consumer(TaskEvents.ADDRESS, m -> published.add(m.body()))
            .completion());
  }

  @AfterEach
  void stop() {
    Await.result(store.close());
    List<String> blocked = watch.warnings();
    watch.close();
    assertTrue(blocked.isEmpty(), "event loop blocked:\n" + String.join("\n", blocked));
  }

  @Test
  void drainsOldestFirstOneAtATimeAndPublishesEachOnce() {
    List<String> ids = enqueue(5);
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    TaskReplayer replayer =
        new TaskReplayer(
            vertx,
            store,
            task -> {
              order.add(task.id());
              maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
              // Answer later, from a timer, as an upstream would.
              return vertx
                  .timer(2)
                  .map(
                      v -> {
                        inFlight.decrementAndGet();
                        return Messages.text("answer " + task.idempotencyKey());
                      });
            });
    Promise<Void> all = publishedCount(5);
    replayer.regionUsable();
    replayer.regionUsable(); // repeated signals do not start a second drain
    replayer.regionUsable();
    Await.result(all.future());
    Await.result(replayer.idle());

    assertEquals(ids, order);
    assertEquals(1, maxInFlight.get());
    assertEquals(5, published.size());
    for (int i = 0; i < 5; i++) {
      JsonObject event = published.get(i);
      assertEquals(ids.get(i), event.getString("task_id"));
      assertEquals("DONE", event.getString("state"));
      assertEquals("answer k" + i, new Message(event.getJsonObject("message")).text());
    }
    assertEquals(0, store.pendingCount());
  }

  @Test
  void stopsWhenNoRegionCanTakeItAndResumesWhenOneCan() {
    List<String> ids = enqueue(3);
    AtomicInteger calls = new AtomicInteger();
    boolean[] regionUp = {false};
    TaskReplayer replayer =
        new TaskReplayer(
            vertx,
            store,
            task -> {
              calls.incrementAndGet();
              return regionUp[0]
                  ? Future.succeededFuture(Messages.text("ok"))
                  : Future.failedFuture(new NoUsableRegionException("all breakers open", -1));
            },
            5,
            0);
    replayer.regionUsable();
    Await.result(replayer.idle());
    assertEquals(1, calls.get(), "stopped at the first refusal");
    Task first = Await.result(store.get(ids.get(0))).orElseThrow();
    assertEquals(TaskState.QUEUED, first.state());
    assertEquals(0, first.attempts(), "nothing reached an upstream");
    assertTrue(published.isEmpty());

    regionUp[0] = true;
    Promise<Void> all = publishedCount(3);
    replayer.regionUsable();
    Await.result(all.future());
    assertEquals(4, calls.get());
    assertEquals(1, Await.result(store.get(ids.get(0))).orElseThrow().attempts());
  }

  @Test
  void aRefusedRequestFailsForGoodAndTheQueueGoesOn() {
    List<String> ids = enqueue(2);
    TaskReplayer replayer =
        new TaskReplayer(
            vertx,
            store,
            task ->
                task.id().equals(ids.get(0))
                    ? Future.failedFuture(api(400, "invalid_request_error", "max_tokens: too big"))
                    : Future.succeededFuture(Messages.text("fine")));
    Promise<Void> all = publishedCount(2);
    replayer.regionUsable();
    Await.result(all.future());

    assertEquals("FAILED", published.get(0).getString("state"));
    assertEquals(
        new JsonObject()
            .put("type", "invalid_request_error")
            .put("message", "max_tokens: too big")
            .put("status", 400),
        published.get(0).getJsonObject("error"));
    assertEquals("DONE", published.get(1).getString("state"));
    assertEquals(TaskState.FAILED, Await.result(store.get(ids.get(0))).orElseThrow().state());
  }

  @Test
  void aTaskTheRegionsKeepFailingIsRequeuedThenFailedAfterMaxAttempts() {
    List<String> ids = enqueue(1);
    AtomicInteger calls = new AtomicInteger();
    TaskReplayer replayer =
        new TaskReplayer(
            vertx,
            store,
            task -> {
              calls.incrementAndGet();
              return Future.failedFuture(api(529, "overloaded_error", "Overloaded"));
            },
            2,
            0);
    replayer.regionUsable();
    Await.result(replayer.idle());
    Task back = Await.result(store.get(ids.get(0))).orElseThrow();
    assertEquals(TaskState.QUEUED, back.state());
    assertEquals(1, back.attempts());
    assertTrue(published.isEmpty());

    Promise<Void> failed = publishedCount(1);
    replayer.regionUsable();
    Await.result(failed.future());
    assertEquals(2, calls.get());
    assertEquals("FAILED", published.get(0).getString("state"));
    assertEquals("overloaded_error", published.get(0).getJsonObject("error").getString("type"));
  }

  @Test
  void aRecheckResumesWithoutASignal() {
    enqueue(1);
    AtomicInteger calls = new AtomicInteger();
    TaskReplayer replayer =
        new TaskReplayer(
            vertx,
            store,
            task ->
                calls.incrementAndGet() == 1
                    ? Future.failedFuture(new NoUsableRegionException("down", -1))
                    : Future.succeededFuture(Messages.text("later")),
            5,
            20);
    Promise<Void> done = publishedCount(1);
    replayer.regionUsable();
    Await.result(done.future());
    assertEquals(2, calls.get());
    replayer.close();
  }

  @Test
  void anExecutorThatThrowsFailsOnlyItsTask() {
    List<String> ids = enqueue(2);
    Function<Task, Future<Message>> executor =
        task -> {
          if (task.id().equals(ids.get(0))) {
            throw new IllegalArgumentException("bug");
          }
          return Future.succeededFuture(Messages.text("ok"));
        };
    TaskReplayer replayer = new TaskReplayer(vertx, store, executor);
    Promise<Void> all = publishedCount(2);
    replayer.regionUsable();
    Await.result(all.future());
    assertEquals("FAILED", published.get(0).getString("state"));
    assertEquals("DONE", published.get(1).getString("state"));
  }

  private List<String> enqueue(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(
          Await.result(
                  store.enqueue(
                      "k" + i,
                      PendingTaskStoreTest.request("q" + i),
                      Map.of("anthropic-version", "v")))
              .task()
              .id());
    }
    return ids;
  }

  /** Completes once {@code n} completions were published in total. */
  private Promise<Void> publishedCount(int n) {
    Promise<Void> p = Promise.promise();
    vertx.setPeriodic(
        1,
        id -> {
          if (published.size() >= n) {
            vertx.cancelTimer(id);
            p.tryComplete();
          }
        });
    return p;
  }

  private static ApiException api(int status, String type, String message) {
    return ApiException.of(
        status,
        ErrorBody.parse(Buffer.buffer(ErrorBody.toWire(type, message, null).encode())),
        Map.of(),
        null);
  }
}
