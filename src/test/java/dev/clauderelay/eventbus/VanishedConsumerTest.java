package dev.clauderelay.eventbus;

import static dev.clauderelay.eventbus.EventBusTesting.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.BlockedThreadWatch;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A consumer that goes away without a word: its upstream request is cancelled (the upstream sees
 * its connection closed) within a bounded time, whichever way it vanished.
 */
class VanishedConsumerTest {
  /** The service's ack and credit timeouts in these tests. */
  private static final long TIMEOUT_MS = 300;

  /** Bound for the paths that need no timeout: the gateway's own bar for a client disconnect. */
  private static final long PROMPT_MS = 1_000;

  /** Bound for the paths that wait out a timeout first. */
  private static final long BOUND_MS = TIMEOUT_MS + 1_200;

  private BlockedThreadWatch watch;
  private Vertx vertx;
  private EventBus bus;
  private EndlessSseServer upstream;
  private ClaudeClient client;
  private ClaudeVerticle verticle;

  @BeforeAll
  static void warmUp() {
    EventBusTesting.warmUp();
  }

  @BeforeEach
  void start() {
    watch = new BlockedThreadWatch(EventBusTesting.MAX_EVENT_LOOP_MS);
    vertx = watch.vertx();
    bus = vertx.eventBus();
    upstream = EndlessSseServer.start(vertx, 10);
    client =
        ClaudeClient.create(
            vertx,
            new ClaudeClientOptions()
                .setBaseUrl(upstream.baseUrl())
                .setApiKey("k")
                .setMaxRetries(0));
    verticle =
        new ClaudeVerticle(
            client,
            new ClaudeVerticleOptions().setAckTimeoutMs(TIMEOUT_MS).setCreditTimeoutMs(TIMEOUT_MS));
    Await.result(vertx.deployVerticle(verticle));
  }

  @AfterEach
  void stop() {
    Await.result(client.close());
    Await.result(upstream.close());
    List<String> blocked = watch.warnings();
    watch.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  /** A raw consumer that acknowledges (or not) and records; the promise is its third event. */
  private record Raw(
      MessageConsumer<JsonObject> consumer, Promise<Void> third, Promise<JsonObject> last) {}

  private Raw rawConsumer(String address, boolean acks) {
    AtomicInteger events = new AtomicInteger();
    Promise<Void> third = Promise.promise();
    Promise<JsonObject> last = Promise.promise();
    MessageConsumer<JsonObject> c =
        bus.consumer(
            address,
            m -> {
              if (acks) {
                m.reply(null);
              }
              if (m.body().containsKey(StreamProtocol.EVENT)) {
                if (events.incrementAndGet() == 3) {
                  third.tryComplete();
                }
              } else {
                last.tryComplete(m.body());
              }
            });
    Await.result(c.completion());
    return new Raw(c, third, last);
  }

  private JsonObject open(String replyTo, long credits) {
    return Await.result(
            bus.<JsonObject>request(
                Addresses.STREAM, StreamProtocol.open(request(1000), replyTo, credits)))
        .body();
  }

  private void assertUpstreamClosedWithin(long sinceNanos, long boundMs) {
    long closedAt = Await.result(upstream.closed());
    long ms = (closedAt - sinceNanos) / 1_000_000;
    assertTrue(ms < boundMs, "upstream closed " + ms + " ms after the consumer vanished");
    assertTrue(waitUntil(() -> verticle.openStreams() == 0), "the service forgot the stream");
  }

  @Test
  void aConsumerWhoseAddressIsGoneCancelsTheUpstreamAtTheNextEvent() {
    Raw raw = rawConsumer("test.gone", true);
    open("test.gone", 1_000);
    Await.result(raw.third().future());

    long vanishedAt = System.nanoTime();
    Await.result(raw.consumer().unregister());

    // NO_HANDLERS at the next event (every 10 ms); no timeout is involved.
    assertUpstreamClosedWithin(vanishedAt, PROMPT_MS);
  }

  @Test
  void aConsumerThatStopsGrantingIsCutAfterTheCreditTimeoutAndTold() {
    Raw raw = rawConsumer("test.stingy", true);
    open("test.stingy", 3);
    Await.result(raw.third().future());
    long lastCreditUsedAt = System.nanoTime();

    assertUpstreamClosedWithin(lastCreditUsedAt, BOUND_MS);
    JsonObject told = Await.result(raw.last().future());
    assertEquals(408, told.getInteger(StreamProtocol.STATUS), told.encode());
    assertEquals(
        "timeout_error",
        told.getJsonObject(StreamProtocol.ERROR).getJsonObject("error").getString("type"));
    Await.result(raw.consumer().unregister());
  }

  @Test
  void aConsumerThatNeverAcknowledgesIsCutAfterTheAckTimeout() {
    Raw raw = rawConsumer("test.mute", false);
    open("test.mute", 1_000);
    Await.result(raw.third().future());

    assertUpstreamClosedWithin(System.nanoTime(), BOUND_MS);
    Await.result(raw.consumer().unregister());
  }

  @Test
  void theHelpersCancelClosesTheUpstream() {
    EventBusStream stream = EventBusStream.open(vertx, request(1000));
    Promise<Void> third = Promise.promise();
    AtomicInteger n = new AtomicInteger();
    stream.handler(
        e -> {
          if (n.incrementAndGet() == 3) {
            third.tryComplete();
          }
        });
    stream.resume();
    Await.result(third.future());

    long cancelledAt = System.nanoTime();
    stream.cancel();

    assertUpstreamClosedWithin(cancelledAt, PROMPT_MS);
    assertTrue(Await.failure(stream.message()).getMessage().contains("cancelled"));
  }

  @Test
  void undeployingTheServiceCancelsItsStreamsAndTellsTheConsumers() {
    Raw raw = rawConsumer("test.orphan", true);
    open("test.orphan", 1_000);
    Await.result(raw.third().future());

    long stoppedAt = System.nanoTime();
    Await.result(vertx.undeploy(verticle.deploymentID()));

    assertUpstreamClosedWithin(stoppedAt, PROMPT_MS);
    assertEquals(503, Await.result(raw.last().future()).getInteger(StreamProtocol.STATUS));
    Await.result(raw.consumer().unregister());
  }

  /** Polls a condition on the test thread (never an event loop) for up to two seconds. */
  private static boolean waitUntil(java.util.function.BooleanSupplier condition) {
    long until = System.nanoTime() + 2_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        return false;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
    return true;
  }
}
