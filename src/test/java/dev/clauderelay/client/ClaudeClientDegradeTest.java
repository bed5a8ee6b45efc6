package dev.clauderelay.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.api.Message;
import dev.clauderelay.api.StreamEvent;
import dev.clauderelay.api.error.OverloadedException;
import dev.clauderelay.api.error.TaskQueuedException;
import dev.clauderelay.sim.FaultProfile;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.BlockedThreadWatch;
import dev.clauderelay.testing.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The degradation chain through the Java API, with a clock the test moves: the cache's TTL, a
 * cached answer replayed as a stream, and a queued call's task.
 */
class ClaudeClientDegradeTest {
  private static final String KEY = "test-key-not-secret-0007";
  private static final long TTL_MS = 60_000;

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock();
  private BlockedThreadWatch watch;
  private Vertx vertx;
  private SimulatedAnthropic sim;
  private ClaudeClient client;

  @BeforeEach
  void start() {
    watch = new BlockedThreadWatch(200);
    vertx = watch.vertx();
    sim = Await.result(SimulatedAnthropic.start(vertx, new SimOptions().setPort(0)));
  }

  private void client(UnaryOperator<ClaudeClientOptions> tweak) {
    client =
        ClaudeClient.create(
            vertx,
            tweak.apply(
                new ClaudeClientOptions()
                    .setBaseUrl(sim.baseUrl())
                    .setApiKey(KEY)
                    .setMaxRetries(0)
                    .setCacheEnabled(true)
                    .setCacheTtlMs(TTL_MS)),
            clock,
            () -> 0.5);
  }

  @AfterEach
  void stop() {
    if (client != null) {
      Await.result(client.close());
    }
    Await.result(sim.close());
    List<String> blocked = watch.warnings();
    watch.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  private static JsonObject deterministic() {
    return ClaudeClientRetryTest.hello().put("temperature", 0);
  }

  @Test
  void aCachedAnswerIsServedWithinTheTtlAndFetchedAgainAfterIt() {
    client(o -> o);
    Message first = Await.result(client.messages(deterministic()));
    Message again = Await.result(client.messages(deterministic()));
    assertEquals(1, sim.requestCount("/v1/messages"));
    assertEquals(first.toJson(), again.toJson());

    clock.advanceMs(TTL_MS - 1);
    Await.result(client.messages(deterministic()));
    assertEquals(1, sim.requestCount("/v1/messages"), "still fresh 1 ms before the TTL");

    clock.advanceMs(2);
    Await.result(client.messages(deterministic()));
    assertEquals(2, sim.requestCount("/v1/messages"), "expired: asked again");
    Await.result(client.messages(deterministic()));
    assertEquals(2, sim.requestCount("/v1/messages"), "the new answer is fresh again");
  }

  @Test
  void aCachedAnswerIsReplayedAsAStreamThatFoldsBackToTheSameMessage() {
    client(o -> o);
    Message stored = Await.result(client.messages(deterministic()));

    MessageStream stream = client.stream(deterministic());
    List<StreamEvent> events = new ArrayList<>();
    stream.handler(events::add);
    stream.resume(); // nothing is read until the consumer asks
    Message replayed = Await.result(stream.message());

    assertEquals("cache", stream.degraded());
    assertNull(stream.region());
    assertEquals(stored.toJson(), replayed.toJson());
    assertEquals("message_start", events.get(0).type());
    assertEquals("message_stop", events.get(events.size() - 1).type());
    assertEquals(1, sim.requestCount("/v1/messages"));
    String scrape = client.metrics().scrape();
    assertTrue(scrape.contains("anthropic_cache_requests_total{result=\"miss\"} 1.0"), scrape);
    assertTrue(scrape.contains("anthropic_cache_requests_total{result=\"hit\"} 1.0"), scrape);
  }

  @Test
  void aStreamedCallCountsOneBypassAndItsAttempt() {
    client(o -> o);
    MessageStream stream = client.stream(ClaudeClientRetryTest.hello());
    stream.handler(e -> {});
    stream.resume();
    Await.result(stream.message());

    String scrape = client.metrics().scrape();
    assertTrue(scrape.contains("anthropic_cache_requests_total{result=\"bypass\"} 1.0"), scrape);
    assertTrue(
        scrape.contains(
            "anthropic_requests_total{endpoint=\"/v1/messages\",method=\"POST\",region=\"anthropic\",status_code=\"200\"} 1.0"),
        scrape);
  }

  @Test
  void aCallWithAnIdempotencyKeyThatNoRegionCanServeIsQueued() {
    client(o -> o.setPendingDir(dir.toString()).setBreakerMaxFailures(1000));
    sim.setProfile(FaultProfile.OVERLOADED);

    Throwable queued =
        Await.failure(
            client.messages(
                ClaudeClientRetryTest.hello(), new CallOptions().setIdempotencyKey("job-1")));
    Throwable plain = Await.failure(client.messages(ClaudeClientRetryTest.hello()));

    TaskQueuedException task = assertInstanceOf(TaskQueuedException.class, queued);
    assertTrue(task.created());
    assertInstanceOf(OverloadedException.class, task.getCause());
    assertInstanceOf(
        OverloadedException.class, plain, "without a key the upstream's answer comes back");
    JsonObject state = Await.result(client.task(task.taskId())).orElseThrow();
    assertEquals("QUEUED", state.getString("state"));
    assertEquals(1, client.pendingTasks());
  }
}
