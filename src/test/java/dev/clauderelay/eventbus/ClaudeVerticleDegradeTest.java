package dev.clauderelay.eventbus;

import static dev.clauderelay.eventbus.EventBusTesting.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.sim.FaultProfile;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.BlockedThreadWatch;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The degradation chain over the event bus: a request with an {@code idempotency-key} header that
 * no region can serve is queued (failure code 202 with the task), and its completion is published
 * once on {@code claude.tasks} after the region recovers.
 */
class ClaudeVerticleDegradeTest {
  @TempDir Path dir;

  private BlockedThreadWatch watch;
  private Vertx vertx;
  private EventBus bus;
  private SimulatedAnthropic sim;
  private ClaudeClient client;

  @BeforeAll
  static void warmUp() {
    EventBusTesting.warmUp();
  }

  @BeforeEach
  void start() {
    watch = new BlockedThreadWatch(EventBusTesting.MAX_EVENT_LOOP_MS);
    vertx = watch.vertx();
    bus = vertx.eventBus();
    sim = Await.result(SimulatedAnthropic.start(vertx, new SimOptions().setPort(0)));
    client =
        ClaudeClient.create(
            vertx,
            new ClaudeClientOptions()
                .setBaseUrl(sim.baseUrl())
                .setApiKey("k")
                .setMaxRetries(0)
                .setPendingDir(dir.toString())
                // No health probe here: keep the breaker closed so a live call sees the recovery.
                .setBreakerMaxFailures(1000));
    Await.result(vertx.deployVerticle(new ClaudeVerticle(client)));
  }

  @AfterEach
  void stop() {
    Await.result(client.close());
    Await.result(sim.close());
    List<String> blocked = watch.warnings();
    watch.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  @Test
  void aQueuedRequestIsAnsweredWithItsTaskAndItsCompletionIsPublishedOnce() {
    List<JsonObject> completions = new CopyOnWriteArrayList<>();
    Promise<Void> first = Promise.promise();
    MessageConsumer<JsonObject> consumer =
        bus.consumer(
            "claude.tasks",
            m -> {
              completions.add(m.body());
              first.tryComplete();
            });
    Await.result(consumer.completion());
    sim.setProfile(FaultProfile.OVERLOADED);

    DeliveryOptions key = new DeliveryOptions().addHeader("idempotency-key", "nightly-report-3");
    Throwable failure = Await.failure(bus.request(Addresses.MESSAGES, request(16), key));

    ReplyException reply = assertInstanceOf(ReplyException.class, failure);
    assertEquals(202, reply.failureCode(), reply.getMessage());
    JsonObject queued = new JsonObject(reply.getMessage());
    assertEquals("queued", queued.getString("type"));
    String taskId = queued.getString("task_id");
    assertNotNull(taskId);

    sim.setProfile(FaultProfile.HEALTHY);
    Await.result(bus.request(Addresses.MESSAGES, request(8))); // a live success wakes the replay
    Await.result(first.future());
    Await.result(vertx.timer(200)); // a second completion, if any, would arrive by now

    assertEquals(1, completions.size(), completions.toString());
    JsonObject done = completions.get(0);
    assertEquals(taskId, done.getString("task_id"));
    assertEquals("DONE", done.getString("state"));
    assertEquals("nightly-report-3", done.getString("idempotency_key"));
    assertEquals("message", done.getJsonObject("message").getString("type"));
  }
}
