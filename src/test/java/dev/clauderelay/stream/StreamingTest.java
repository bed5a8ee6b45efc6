package dev.clauderelay.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.api.Message;
import dev.clauderelay.api.StreamEvent;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.api.error.InvalidRequestException;
import dev.clauderelay.api.error.OverloadedException;
import dev.clauderelay.api.error.StreamInterruptedException;
import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.client.MessageStream;
import dev.clauderelay.sim.ScriptedResponse;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.BlockedThreadWatch;
import dev.clauderelay.testing.Fixtures;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stream integrity against the simulator: retries before content, interruptions after it. */
class StreamingTest {
  private BlockedThreadWatch watch;
  private Vertx vertx;
  private SimulatedAnthropic sim;
  private ClaudeClient client;

  @BeforeEach
  void start() {
    watch = new BlockedThreadWatch(200);
    vertx = watch.vertx();
    sim = Await.result(SimulatedAnthropic.start(vertx, new SimOptions().setPort(0)));
    client =
        ClaudeClient.create(
            vertx,
            new ClaudeClientOptions()
                .setBaseUrl(sim.baseUrl())
                .setApiKey("k")
                .setInitialBackoffMs(5)
                .setMaxBackoffMs(10)
                .setStreamIdleTimeoutMs(400));
  }

  @AfterEach
  void stop() {
    Await.result(client.close());
    Await.result(sim.close());
    List<String> blocked = watch.warnings();
    watch.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  static JsonObject request() {
    return new JsonObject()
        .put("model", "claude-sonnet-4-6")
        .put("max_tokens", 64)
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", "Stream")));
  }

  /** Collects every event; the promise ends with the stream's end or failure. */
  static Promise<List<StreamEvent>> collect(MessageStream stream) {
    List<StreamEvent> events = new CopyOnWriteArrayList<>();
    Promise<List<StreamEvent>> done = Promise.promise();
    stream.handler(events::add);
    stream.exceptionHandler(done::tryFail);
    stream.endHandler(v -> done.tryComplete(events));
    stream.resume();
    return done;
  }

  @Test
  void aHealthyStreamDeliversTheEventsAndTheFinalMessage() {
    MessageStream stream = client.stream(request());
    List<StreamEvent> events = Await.result(collect(stream).future());
    Message message = Await.result(stream.message());

    assertEquals("message_start", events.get(0).type());
    assertEquals("message_stop", events.get(events.size() - 1).type());
    assertTrue(events.stream().noneMatch(e -> e.type().equals("ping")), "pings are not content");
    StringBuilder text = new StringBuilder();
    events.stream()
        .filter(e -> e.type().equals("content_block_delta"))
        .forEach(e -> text.append(e.data().getJsonObject("delta").getString("text")));
    assertEquals(text.toString(), message.text());
    assertTrue(message.usage().outputTokens() > 0);
    assertTrue(List.of("end_turn", "max_tokens").contains(message.stopReason()));
    assertEquals(true, sim.lastRequest().bodyJson().getBoolean("stream"));
  }

  @Test
  void anErrorEventFirstIsRetriedIntoOneCleanStream() {
    sim.enqueue(ScriptedResponse.sse(Fixtures.sse("stream-error-first-event.sse")));
    sim.enqueue(ScriptedResponse.sse(Fixtures.sse("stream-text.sse")));
    MessageStream stream = client.stream(request());

    List<StreamEvent> events = Await.result(collect(stream).future());

    assertEquals(2, sim.requestCount("/v1/messages"));
    assertEquals(
        1, events.stream().filter(e -> e.type().equals("message_start")).count(), "one stream");
    assertEquals(
        "Vert.x runs handlers on an event loop, so never block it with a synchronous HTTP call.",
        Await.result(stream.message()).text());
    assertEquals(2, stream.attempts());
  }

  @Test
  void anErrorStatusBeforeTheStreamIsRetriedToo() {
    sim.enqueue(ScriptedResponse.error(529, "overloaded_error", "Overloaded"));
    MessageStream stream = client.stream(request());
    Await.result(collect(stream).future());
    assertTrue(Await.result(stream.message()).stopReason() != null);
    assertEquals(2, sim.requestCount("/v1/messages"));
  }

  @Test
  void aCutAfterContentIsAnInterruptionWithThePartialText() {
    String midstream = Fixtures.sse("stream-error-midstream.sse");
    String untilCut = midstream.substring(0, midstream.indexOf("event: error"));
    sim.enqueue(ScriptedResponse.sseThenCut(untilCut));
    MessageStream stream = client.stream(request());

    Throwable failure = Await.failure(collect(stream).future());

    StreamInterruptedException e = assertInstanceOf(StreamInterruptedException.class, failure);
    assertEquals(
        "Here is the migration plan:\n\n1. Freeze writes to the legacy table",
        e.partialMessage().text());
    assertEquals(4, e.eventsDelivered());
    assertEquals(1, sim.requestCount("/v1/messages"), "never retried after content");
    assertTrue(e.requestId().startsWith("req_"), e.getMessage());
    assertInstanceOf(StreamInterruptedException.class, Await.failure(stream.message()));
  }

  @Test
  void anErrorEventAfterContentIsAnInterruption() {
    sim.enqueue(ScriptedResponse.sse(Fixtures.sse("stream-error-midstream.sse")));
    Throwable failure = Await.failure(collect(client.stream(request())).future());

    StreamInterruptedException e = assertInstanceOf(StreamInterruptedException.class, failure);
    assertEquals("error_event", e.reason());
    assertInstanceOf(OverloadedException.class, e.getCause());
    assertEquals(1, sim.requestCount("/v1/messages"));
  }

  @Test
  void anEndWithoutMessageStopIsAnInterruption() {
    String text = Fixtures.sse("stream-text.sse");
    String noStop = text.substring(0, text.indexOf("event: message_stop"));
    sim.enqueue(ScriptedResponse.sse(noStop));
    MessageStream stream = client.stream(request());

    Throwable failure = Await.failure(collect(stream).future());

    StreamInterruptedException e = assertInstanceOf(StreamInterruptedException.class, failure);
    assertEquals("no_message_stop", e.reason());
    assertEquals("end_turn", e.partialMessage().stopReason(), "everything but the stop arrived");
  }

  @Test
  void toolUseAndThinkingAccumulateIntoTheMessage() {
    sim.enqueue(ScriptedResponse.sse(Fixtures.sse("stream-thinking.sse")));
    MessageStream stream = client.stream(request());
    Await.result(collect(stream).future());
    Message message = Await.result(stream.message());
    JsonObject thinking = message.content().get(0).toJson();
    assertEquals("thinking", thinking.getString("type"));
    assertFalse(thinking.getString("thinking").isEmpty());
    assertFalse(thinking.getString("signature").isEmpty());
  }

  @Test
  void aStallBeforeContentIsRetriedThenReported() {
    for (int i = 0; i < 4; i++) {
      sim.enqueue(ScriptedResponse.hang());
    }
    ClaudeClient quick =
        ClaudeClient.create(
            vertx,
            new ClaudeClientOptions()
                .setBaseUrl(sim.baseUrl())
                .setApiKey("k")
                .setMaxRetries(1)
                .setInitialBackoffMs(5)
                .setMaxBackoffMs(10)
                .setResponseTimeoutMs(300));
    Throwable failure = Await.failure(collect(quick.stream(request())).future());
    ClaudeTimeoutException e = assertInstanceOf(ClaudeTimeoutException.class, failure);
    assertEquals(ClaudeTimeoutException.Phase.RESPONSE_HEADERS, e.phase());
    assertEquals(2, sim.requestCount("/v1/messages"));
    Await.result(quick.close());
  }

  @Test
  void invalidRequestsFailTheStreamWithoutSending() {
    JsonObject bad = request();
    bad.remove("messages");
    Throwable failure = Await.failure(collect(client.stream(bad)).future());
    assertInstanceOf(InvalidRequestException.class, failure);
    assertEquals(0, sim.requestCount());
  }

  @Test
  void theMutinyMultiHonoursDemand() {
    List<StreamEvent> events =
        client.mutiny().stream(request())
            .collect()
            .asList()
            .await()
            .atMost(java.time.Duration.ofSeconds(10));
    assertEquals("message_stop", events.get(events.size() - 1).type());
  }
}
