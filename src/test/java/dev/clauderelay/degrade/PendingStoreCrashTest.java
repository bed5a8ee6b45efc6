package dev.clauderelay.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability across SIGKILL: a separate JVM enqueues tasks and is killed mid-way; every task it
 * acknowledged is in the store exactly once, tasks it had marked RUNNING are QUEUED again, and a
 * replay completes each task exactly once, running again only those that were in flight.
 */
class PendingStoreCrashTest {
  private static final int TASKS = 100_000;
  private static final int KILL_AFTER_ACKS = 40;

  @TempDir Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void everyAcknowledgedTaskSurvivesAKill() throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                PendingStoreChild.class.getName(),
                dir.toString(),
                Integer.toString(TASKS))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    Map<String, String> acked = new LinkedHashMap<>(); // key -> id
    Set<String> runningAtKill = new HashSet<>();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        String[] f = line.split(" ");
        if (f[0].equals("ACK")) {
          acked.put(f[1], f[2]);
        } else if (f[0].equals("RUNNING")) {
          runningAtKill.add(f[1]);
        }
        if (acked.size() == KILL_AFTER_ACKS) {
          child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, mid-write perhaps
          break;
        }
      }
    }
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    assertEquals(KILL_AFTER_ACKS, acked.size(), "the child acknowledged enough before the kill");

    Vertx vertx = Vertx.vertx();
    try {
      PendingTaskStore store =
          Await.result(
              PendingTaskStore.open(
                  vertx, PendingStoreOptions.of(dir, TASKS), Clock.systemUTC(), null));
      List<Task> pending = Await.result(store.pending());

      // Every acknowledged task is there, once, under its key; at most one more was committed
      // between the last ACK line read and the kill.
      Map<String, Integer> perKey = new ConcurrentHashMap<>();
      pending.forEach(t -> perKey.merge(t.idempotencyKey(), 1, Integer::sum));
      perKey.values().forEach(c -> assertEquals(1, c, "a task stored twice"));
      for (Map.Entry<String, String> ack : acked.entrySet()) {
        Task t =
            Await.result(store.get(ack.getValue()))
                .orElseThrow(() -> new AssertionError("lost " + ack));
        assertEquals(ack.getKey(), t.idempotencyKey());
        assertEquals(TaskState.QUEUED, t.state(), "RUNNING at the kill means QUEUED now");
      }
      assertTrue(pending.size() >= acked.size() && pending.size() <= acked.size() + 1);

      // In flight at the kill: exactly those marked RUNNING (one more at most, unprinted).
      int recovered = store.recoveredInFlight();
      assertTrue(
          recovered >= runningAtKill.size() && recovered <= runningAtKill.size() + 1,
          "recovered " + recovered + ", printed RUNNING " + runningAtKill.size());
      for (String id : runningAtKill) {
        assertEquals(1, Await.result(store.get(id)).orElseThrow().attempts());
      }

      // The same keys after the restart give the same tasks.
      String firstKey = acked.keySet().iterator().next();
      EnqueueResult again =
          Await.result(
              store.enqueue(
                  firstKey,
                  PendingTaskStoreTest.request("task " + firstKey.substring(4)),
                  Map.of("anthropic-version", "v")));
      assertFalse(again.created());
      assertEquals(acked.get(firstKey), again.task().id());

      // Replay: each task completes once. The upstream sees a task a second time only if it was
      // in flight at the kill (the child may have sent it before dying): those are the tasks
      // with an attempt already counted, and there are no more of them than were RUNNING.
      long inFlightAtKill = pending.stream().filter(t -> t.attempts() > 0).count();
      assertEquals(recovered, inFlightAtKill);
      Map<String, AtomicInteger> upstreamCalls = new ConcurrentHashMap<>();
      Map<String, AtomicInteger> completions = new ConcurrentHashMap<>();
      AtomicInteger published = new AtomicInteger();
      Promise<Void> allPublished = Promise.promise();
      MessageConsumer<JsonObject> consumer =
          vertx
              .eventBus()
              .consumer(
                  TaskEvents.ADDRESS,
                  m -> {
                    completions
                        .computeIfAbsent(m.body().getString("task_id"), k -> new AtomicInteger())
                        .incrementAndGet();
                    if (published.incrementAndGet() == pending.size()) {
                      allPublished.complete();
                    }
                  });
      Await.result(consumer.completion());
      TaskReplayer replayer =
          new TaskReplayer(
              vertx,
              store,
              task -> {
                upstreamCalls
                    .computeIfAbsent(task.id(), k -> new AtomicInteger())
                    .incrementAndGet();
                return Future.succeededFuture(Messages.text("answer " + task.idempotencyKey()));
              });
      replayer.regionUsable();
      Await.result(replayer.idle());
      Await.result(allPublished.future());
      assertEquals(pending.size(), (long) Await.result(replayer.completed()));
      for (Task t : pending) {
        assertEquals(1, completions.get(t.id()).get(), "one completion per task");
        assertEquals(1, upstreamCalls.get(t.id()).get(), "replayed once");
        Task done = Await.result(store.get(t.id())).orElseThrow();
        assertEquals(TaskState.DONE, done.state());
        assertEquals(t.attempts() + 1, done.attempts());
        assertEquals("answer " + t.idempotencyKey(), done.message().orElseThrow().text());
      }
      Await.result(replayer.idle());
      assertEquals(pending.size(), published.get(), "nothing published twice");
      Await.result(store.close());
    } finally {
      Await.result(vertx.close());
    }
  }
}
