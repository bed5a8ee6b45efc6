package dev.clauderelay.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.api.Message;
import dev.clauderelay.sim.ScriptedResponse;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.BlockedThreadWatch;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Results and retries arrive on the caller's context, and nothing blocks an event loop. */
class ThreadDisciplineTest {

  @Test
  void retriesAndResultsStayOnTheCallersContext() {
    try (BlockedThreadWatch watch = new BlockedThreadWatch(100)) {
      Vertx vertx = watch.vertx();
      SimulatedAnthropic sim =
          Await.result(SimulatedAnthropic.start(vertx, new SimOptions().setPort(0)));
      sim.enqueue(
          ScriptedResponse.error(529, "overloaded_error", "Overloaded"),
          ScriptedResponse.error(500, "api_error", "boom"));
      ClaudeClient client =
          ClaudeClient.create(
              vertx,
              new ClaudeClientOptions()
                  .setBaseUrl(sim.baseUrl())
                  .setApiKey("k")
                  .setInitialBackoffMs(20)
                  .setMaxBackoffMs(40));

      Context caller = vertx.getOrCreateContext();
      List<Object> seen = new CopyOnWriteArrayList<>();
      Promise<Message> done = Promise.promise();
      caller.runOnContext(
          v ->
              client
                  .messages(ClaudeClientRetryTest.hello())
                  .onComplete(
                      ar -> {
                        seen.add(Vertx.currentContext());
                        seen.add(Context.isOnEventLoopThread());
                        done.handle(ar);
                      }));
      Await.result(done.future());
      assertEquals(caller, seen.get(0), "result delivered on the caller's context");
      assertEquals(true, seen.get(1));
      assertEquals(3, sim.requestCount());

      // The Mutiny API too, subscribed from the caller's context.
      sim.enqueue(ScriptedResponse.error(529, "overloaded_error", "Overloaded"));
      Promise<Object> uniDone = Promise.promise();
      caller.runOnContext(
          v ->
              client
                  .mutiny()
                  .messages(ClaudeClientRetryTest.hello())
                  .subscribe()
                  .with(m -> uniDone.complete(Vertx.currentContext()), uniDone::fail));
      assertEquals(caller, Await.result(uniDone.future()));

      // A caller off any event loop gets its result on an event-loop context.
      Promise<Boolean> offLoop = Promise.promise();
      client
          .messages(ClaudeClientRetryTest.hello())
          .onComplete(ar -> offLoop.complete(Context.isOnEventLoopThread()));
      assertTrue(Await.result(offLoop.future()));

      Await.result(sim.close());
      assertEquals(List.of(), watch.warnings());
    }
  }

  @Test
  void theWatchCatchesABlockedEventLoop() {
    // Proves the check above can fail: spin (not sleep) on an event loop past the limit.
    try (BlockedThreadWatch watch = new BlockedThreadWatch(50)) {
      Promise<Void> spun = Promise.promise();
      watch
          .vertx()
          .runOnContext(
              v -> {
                long until = System.nanoTime() + 400_000_000L;
                while (System.nanoTime() < until) {
                  Thread.onSpinWait();
                }
                spun.complete();
              });
      Await.result(spun.future());
      assertFalse(watch.warnings().isEmpty(), "a 400 ms spin must be reported");
    }
  }
}
