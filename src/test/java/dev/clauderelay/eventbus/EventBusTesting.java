package dev.clauderelay.eventbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Requests, assertions and a warm-up shared by the event-bus tests. */
final class EventBusTesting {
  /**
   * The longest an event loop may run one task in these tests. Nothing here should come near it; it
   * sits above the 100-300 ms pauses a busy CI machine gives a loop that is merely writing a burst
   * of frames, and far below what any blocking call (an await, a sleep, blocking I/O) takes.
   */
  static final long MAX_EVENT_LOOP_MS = 500;

  private static boolean warm;

  private EventBusTesting() {}

  /**
   * Runs a request and a stream through the service once per JVM on an unwatched Vert.x: the first
   * stream loads (and, under JaCoCo, instruments) the SSE, stream and event-bus classes on
   * whichever event loop gets there first, a one-time cost that is not the kind of block the watch
   * is for.
   */
  static synchronized void warmUp() {
    if (warm) {
      return;
    }
    warm = true;
    Vertx vertx = Vertx.vertx();
    try {
      SimulatedAnthropic sim =
          Await.result(SimulatedAnthropic.start(vertx, new SimOptions().setPort(0)));
      ClaudeClient client =
          ClaudeClient.create(
              vertx, new ClaudeClientOptions().setBaseUrl(sim.baseUrl()).setApiKey("warmup"));
      Await.result(vertx.deployVerticle(new ClaudeVerticle(client)));
      Await.result(vertx.eventBus().request(Addresses.MESSAGES, request(8)));
      EventBusStream stream = EventBusStream.open(vertx, request(64));
      Promise<Void> ended = Promise.promise();
      stream.handler(e -> {}).exceptionHandler(ended::tryFail).endHandler(ended::tryComplete);
      stream.resume();
      Await.result(ended.future());
      Await.result(client.close());
      Await.result(sim.close());
    } finally {
      Await.result(vertx.close());
    }
  }

  static JsonObject request(int maxTokens) {
    return new JsonObject()
        .put("model", "claude-sonnet-4-6")
        .put("max_tokens", maxTokens)
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hello")));
  }

  /**
   * Checks a failure is the service's answer with this status, and returns its Anthropic error
   * JSON.
   */
  static JsonObject errorJson(Throwable failure, int status) {
    ReplyException reply = assertInstanceOf(ReplyException.class, failure);
    assertEquals(ReplyFailure.RECIPIENT_FAILURE, reply.failureType(), reply.toString());
    assertEquals(status, reply.failureCode(), reply.getMessage());
    JsonObject json = new JsonObject(reply.getMessage());
    assertEquals("error", json.getString("type"), json.encode());
    return json;
  }
}
