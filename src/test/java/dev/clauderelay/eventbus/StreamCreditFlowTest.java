package dev.clauderelay.eventbus;

import static dev.clauderelay.eventbus.EventBusTesting.errorJson;
import static dev.clauderelay.eventbus.EventBusTesting.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.api.Message;
import dev.clauderelay.api.StreamEvent;
import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.sim.FaultProfile;
import dev.clauderelay.sim.ScriptedResponse;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.BlockedThreadWatch;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code claude.stream} from a verticle in this test's Vert.x: credits, a consumer slower than the
 * producer, the end with the final Message, and failures before and after content.
 */
class StreamCreditFlowTest {
  private static final long GRANT_EVERY_MS = 50;

  private BlockedThreadWatch watch;
  private Vertx vertx;
  private EventBus bus;
  private SimulatedAnthropic sim;
  private ClaudeClient client;
  private WireCounter wire;

  @BeforeAll
  static void warmUp() {
    EventBusTesting.warmUp();
  }

  @BeforeEach
  void start() {
    watch = new BlockedThreadWatch(EventBusTesting.MAX_EVENT_LOOP_MS);
    vertx = watch.vertx();
    bus = vertx.eventBus();
    wire = WireCounter.install(bus);
    sim = Await.result(SimulatedAnthropic.start(vertx, new SimOptions().setPort(0)));
    client =
        ClaudeClient.create(
            vertx,
            new ClaudeClientOptions().setBaseUrl(sim.baseUrl()).setApiKey("k").setMaxRetries(0));
    Await.result(vertx.deployVerticle(new ClaudeVerticle(client)));
  }

  @AfterEach
  void stop() {
    Await.result(client.close());
    Await.result(sim.close());
    List<String> blocked = watch.warnings();
    watch.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
    assertEquals(List.of(), wire.violations, "the service sent beyond the credits");
  }

  /**
   * The raw protocol, as a non-Java or clustered consumer would speak it: one credit every 50 ms
   * while the simulator could send the whole answer at once. At every receipt, what was received
   * never exceeds what was granted.
   */
  @Test
  void aSlowRawConsumerGetsNoMoreThanItGrantedAndTheEndCarriesTheMessage() {
    String replyTo = "test.consumer.slow";
    AtomicLong granted = new AtomicLong(1);
    AtomicLong received = new AtomicLong();
    List<String> problems = new CopyOnWriteArrayList<>();
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    Promise<JsonObject> last = Promise.promise();
    MessageConsumer<JsonObject> consumer =
        bus.consumer(
            replyTo,
            m -> {
              m.reply(null);
              JsonObject body = m.body();
              if (body.containsKey(StreamProtocol.EVENT)) {
                long n = received.incrementAndGet();
                if (n > granted.get()) {
                  problems.add("received " + n + " with " + granted.get() + " granted");
                }
                if (body.getLong(StreamProtocol.SEQ) != n) {
                  problems.add("seq " + body.getLong(StreamProtocol.SEQ) + " for event " + n);
                }
                events.add(body.getJsonObject(StreamProtocol.EVENT));
              } else {
                last.tryComplete(body);
              }
            });
    Await.result(consumer.completion());

    long startedAt = System.nanoTime();
    JsonObject opened =
        Await.result(
                bus.<JsonObject>request(
                    Addresses.STREAM, StreamProtocol.open(request(64), replyTo, 1)))
            .body();
    String control = opened.getString(StreamProtocol.CONTROL);
    assertEquals(Addresses.streamControl(opened.getString(StreamProtocol.ID)), control);
    long timer =
        vertx.setPeriodic(
            GRANT_EVERY_MS,
            t -> {
              // Counted before it is sent: the service cannot use a credit not yet counted here.
              granted.incrementAndGet();
              bus.request(control, StreamProtocol.grant(1))
                  .onFailure(
                      f -> {
                        // After the end the service releases the stream; only earlier counts.
                        if (!last.future().isComplete()) {
                          problems.add("grant failed: " + f);
                        }
                      });
            });
    JsonObject end = Await.result(last.future());
    vertx.cancelTimer(timer);
    long elapsedMs = (System.nanoTime() - startedAt) / 1_000_000;
    Await.result(consumer.unregister());

    assertEquals(List.of(), problems);
    assertEquals(true, end.getBoolean(StreamProtocol.END), end.encode());
    assertEquals(opened.getString(StreamProtocol.ID), end.getString(StreamProtocol.ID));
    assertEquals(events.size() + 1, end.getLong(StreamProtocol.SEQ));
    Message message = new Message(end.getJsonObject(StreamProtocol.MESSAGE));
    assertEquals("max_tokens", message.stopReason());
    assertEquals(textOf(events), message.text());
    assertEquals("message_stop", events.get(events.size() - 1).getString("type"));
    assertTrue(events.size() > 20, "a long enough stream: " + events.size());
    // Paced by the credits, not by the producer: one event per grant.
    assertTrue(
        elapsedMs >= (events.size() - 2) * GRANT_EVERY_MS,
        events.size() + " events in " + elapsedMs + " ms");
  }

  /** The same with the helper: its demand ({@code fetch(1)} every 50 ms) is its credit. */
  @Test
  void theHelperGrantsWhatItsDemandAsksAndEndsWithTheMessage() {
    EventBusStream stream = EventBusStream.open(vertx, request(48));
    List<StreamEvent> events = new CopyOnWriteArrayList<>();
    AtomicLong fetched = new AtomicLong(1);
    List<String> problems = new CopyOnWriteArrayList<>();
    Promise<Void> ended = Promise.promise();
    stream
        .handler(
            e -> {
              events.add(e);
              if (events.size() > fetched.get()) {
                problems.add(events.size() + " delivered with " + fetched.get() + " fetched");
              }
            })
        .exceptionHandler(ended::tryFail)
        .endHandler(ended::tryComplete);
    stream.fetch(1);
    long timer =
        vertx.setPeriodic(
            GRANT_EVERY_MS,
            t -> {
              fetched.incrementAndGet();
              stream.fetch(1);
            });
    Await.result(ended.future());
    vertx.cancelTimer(timer);
    Message message = Await.result(stream.message());

    assertEquals(List.of(), problems);
    assertEquals(wire.events.get(), events.size(), "every event sent was delivered");
    assertTrue(wire.granted.get() <= fetched.get(), "credits granted only on demand");
    assertEquals("message_start", events.get(0).type());
    assertEquals("message_stop", events.get(events.size() - 1).type());
    assertEquals(48, message.usage().outputTokens());
    assertFalse(message.text().isBlank());
  }

  @Test
  void aFlowingHelperKeepsAWindowGrantedAndReadsALongStream() {
    EventBusStream stream = EventBusStream.open(vertx, request(400));
    AtomicLong count = new AtomicLong();
    Promise<Void> ended = Promise.promise();
    stream
        .handler(e -> count.incrementAndGet())
        .exceptionHandler(ended::tryFail)
        .endHandler(ended::tryComplete);
    stream.resume();
    Await.result(ended.future());

    assertEquals(wire.events.get(), count.get());
    assertTrue(
        wire.granted.get() - count.get() <= EventBusStream.FLOWING_WINDOW,
        "granted " + wire.granted.get() + " for " + count.get() + " events");
    assertEquals(256, Await.result(stream.message()).usage().outputTokens());
  }

  @Test
  void anInvalidRequestFailsTheOpenWith400AndNothingGoesUpstream() {
    Throwable failure =
        Await.failure(
            bus.request(
                Addresses.STREAM,
                StreamProtocol.open(request(64).copy().put("messages", "x"), "test.nobody", 5)));

    assertTrue(errorJson(failure, 400).encode().contains("messages"));
    assertEquals(0, sim.requestCount());
  }

  @Test
  void aMalformedOpenIs400() {
    JsonObject noReplyTo = new JsonObject().put(StreamProtocol.REQUEST, request(8));
    JsonObject badCredits = StreamProtocol.open(request(8), "test.x", 1).put("credits", -1);

    assertTrue(
        errorJson(Await.failure(bus.request(Addresses.STREAM, noReplyTo)), 400)
            .encode()
            .contains("replyTo"));
    assertTrue(
        errorJson(Await.failure(bus.request(Addresses.STREAM, badCredits)), 400)
            .encode()
            .contains("credits"));
  }

  @Test
  void aMalformedGrantIs400AndALazyOpenSendsNothingUpstream() {
    JsonObject opened =
        Await.result(
                bus.<JsonObject>request(
                    Addresses.STREAM, StreamProtocol.open(request(8), "test.lazy", 0)))
            .body();
    String control = opened.getString(StreamProtocol.CONTROL);

    errorJson(Await.failure(bus.request(control, "more please")), 400);
    assertTrue(
        errorJson(Await.failure(bus.request(control, StreamProtocol.grant(0))), 400)
            .encode()
            .contains("credits"));
    assertEquals(0, sim.requestCount(), "no credit yet, so nothing went upstream");
    Await.result(bus.request(control, StreamProtocol.cancel()));
    assertEquals(0, sim.requestCount());
  }

  @Test
  void anUpstream404BeforeContentFailsTheHelperWith404() {
    sim.enqueue(ScriptedResponse.error(404, "not_found_error", "model: claude-nope"));
    EventBusStream stream = EventBusStream.open(vertx, request(16));
    Promise<Void> ended = Promise.promise();
    stream.handler(e -> {}).exceptionHandler(ended::tryFail).endHandler(ended::tryComplete);
    stream.fetch(4);

    JsonObject json = errorJson(Await.failure(ended.future()), 404);

    assertEquals("not_found_error", json.getJsonObject("error").getString("type"));
    errorJson(Await.failure(stream.message()), 404);
  }

  @Test
  void aCutAfterContentIsA502FailureCarryingThePartialMessage() {
    sim.setProfile(FaultProfile.MIDSTREAM_CUT);
    String replyTo = "test.consumer.cut";
    Promise<JsonObject> last = Promise.promise();
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer =
        bus.consumer(
            replyTo,
            m -> {
              m.reply(null);
              if (m.body().containsKey(StreamProtocol.EVENT)) {
                events.add(m.body().getJsonObject(StreamProtocol.EVENT));
              } else {
                last.tryComplete(m.body());
              }
            });
    Await.result(consumer.completion());
    Await.result(bus.request(Addresses.STREAM, StreamProtocol.open(request(64), replyTo, 1000)));

    JsonObject failure = Await.result(last.future());
    Await.result(consumer.unregister());

    assertEquals(502, failure.getInteger(StreamProtocol.STATUS), failure.encode());
    JsonObject error = failure.getJsonObject(StreamProtocol.ERROR);
    assertEquals("api_error", error.getJsonObject("error").getString("type"));
    assertTrue(error.getJsonObject("error").getString("message").contains("interrupted"));
    Message partial = new Message(failure.getJsonObject(StreamProtocol.PARTIAL));
    assertEquals(textOf(events), partial.text());
    assertFalse(partial.text().isEmpty());
  }

  private static String textOf(List<JsonObject> events) {
    StringBuilder text = new StringBuilder();
    for (JsonObject e : events) {
      if ("content_block_delta".equals(e.getString("type"))) {
        text.append(e.getJsonObject("data").getJsonObject("delta").getString("text"));
      }
    }
    return text.toString();
  }
}
