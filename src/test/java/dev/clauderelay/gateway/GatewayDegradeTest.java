package dev.clauderelay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.api.MessageAccumulator;
import dev.clauderelay.api.StreamEvent;
import dev.clauderelay.api.sse.SseDecoder;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.sim.FaultProfile;
import dev.clauderelay.sim.ScriptedResponse;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.FakeOpenAiServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The degradation chain through the gateway (docs/degrade.md): fresh cache, stale cache, local
 * model (JSON and SSE), queued pending task, and the friendly 503, each marked with {@code
 * x-relay-degraded}.
 */
class GatewayDegradeTest {
  /**
   * Longest event-loop turn tolerated, milliseconds. Above the harness's 200 ms: these tests open
   * stores and second servers, and on the shared 2-core machine a turn was seen descheduled for 202
   * ms inside Netty's buffer code, which is load, not blocking. A real block (file I/O on the loop)
   * would still show.
   */
  private static final long WATCH_MS = 500;

  @TempDir Path dir;

  private GatewayHarness h;
  private FakeOpenAiServer local;
  private Vertx localVertx;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
    if (localVertx != null) {
      Await.result(localVertx.close());
    }
  }

  private static GatewayHarness start(Consumer<ClaudeClientOptions> tweak) {
    return GatewayHarness.start(GatewayHarness.options(), tweak, WATCH_MS);
  }

  private static JsonObject deterministic(String text) {
    return GatewayHarness.message(text).put("temperature", 0);
  }

  private GatewayHarness.Reply post(JsonObject body, Map<String, String> extra) {
    Map<String, String> headers = new HashMap<>(extra);
    headers.put("x-api-key", GatewayHarness.TOKEN);
    headers.put("content-type", "application/json");
    return h.call(HttpMethod.POST, "/v1/messages", headers, body.toBuffer());
  }

  private void startWithCache() {
    h = start(o -> o.setCacheEnabled(true));
  }

  @Test
  void aRepeatedDeterministicRequestIsAnsweredFromTheCache() {
    startWithCache();
    GatewayHarness.Reply first = h.post("/v1/messages", deterministic("cache me"));
    GatewayHarness.Reply second = h.post("/v1/messages", deterministic("cache me"));

    assertEquals(200, first.status());
    assertNull(first.header("x-relay-degraded"));
    assertEquals(200, second.status());
    assertEquals("cache", second.header("x-relay-degraded"));
    assertEquals(first.json().getJsonArray("content"), second.json().getJsonArray("content"));
    assertEquals(1, h.sim.requestCount("/v1/messages"));
  }

  @Test
  void aSampledRequestIsNotCachedUnlessTheClientOptsIn() {
    startWithCache();
    JsonObject sampled = GatewayHarness.message("sampled").put("temperature", 1);
    post(sampled, Map.of());
    GatewayHarness.Reply again = post(sampled, Map.of());
    assertNull(again.header("x-relay-degraded"));
    assertEquals(2, h.sim.requestCount("/v1/messages"));

    post(sampled, Map.of("x-relay-cache", "on"));
    GatewayHarness.Reply optedIn = post(sampled, Map.of("x-relay-cache", "on"));
    assertEquals("cache", optedIn.header("x-relay-degraded"));
    assertEquals(3, h.sim.requestCount("/v1/messages"));

    GatewayHarness.Reply bypass = post(deterministic("x"), Map.of("x-relay-cache", "off"));
    post(deterministic("x"), Map.of("x-relay-cache", "off"));
    assertNull(bypass.header("x-relay-degraded"));
    assertEquals(5, h.sim.requestCount("/v1/messages"));
  }

  @Test
  void anErrorIsNotCached() {
    h = start(o -> o.setCacheEnabled(true).setMaxRetries(0));
    h.sim.enqueue(ScriptedResponse.error(500, "api_error", "Internal server error"));

    GatewayHarness.Reply failed = h.post("/v1/messages", deterministic("err"));
    GatewayHarness.Reply next = h.post("/v1/messages", deterministic("err"));

    assertEquals(500, failed.status());
    assertEquals(200, next.status());
    assertNull(next.header("x-relay-degraded"));
    assertEquals(2, h.sim.requestCount("/v1/messages"));
  }

  @Test
  void aStreamReplayedFromTheCacheIsAValidEventStream() {
    startWithCache();
    JsonObject original = h.post("/v1/messages", deterministic("stream me")).json();

    GatewayHarness.Reply streamed = post(deterministic("stream me").put("stream", true), Map.of());

    assertEquals(200, streamed.status());
    assertEquals("cache", streamed.header("x-relay-degraded"));
    assertTrue(streamed.header("content-type").startsWith("text/event-stream"));
    List<StreamEvent> events = decode(streamed);
    assertEquals("message_start", events.get(0).type());
    assertEquals("message_stop", events.get(events.size() - 1).type());
    MessageAccumulator folded = new MessageAccumulator();
    events.forEach(folded::accept);
    assertTrue(folded.isComplete());
    JsonObject rebuilt = folded.snapshot().toJson();
    assertEquals(original.getJsonArray("content"), rebuilt.getJsonArray("content"));
    assertEquals(original.getString("stop_reason"), rebuilt.getString("stop_reason"));
    assertEquals(original.getString("id"), rebuilt.getString("id"));
    assertEquals(1, h.sim.requestCount("/v1/messages"));
  }

  @Test
  void withEveryRegionDownAnExpiredAnswerIsServedAsStaleCache() {
    h = start(o -> o.setCacheEnabled(true).setCacheTtlMs(1));
    JsonObject first = h.post("/v1/messages", deterministic("stale")).json();
    h.sim.setProfile(FaultProfile.OVERLOADED);

    // The TTL (1 ms) has passed by the time the next request is parsed: only stale can serve.
    GatewayHarness.Reply reply = h.post("/v1/messages", deterministic("stale"));

    assertEquals(200, reply.status());
    assertEquals("stale-cache", reply.header("x-relay-degraded"));
    assertEquals(first.getJsonArray("content"), reply.json().getJsonArray("content"));
    assertTrue(h.sim.statusCount(529) >= 1, "the regions were tried first");
    String scrape = h.client.metrics().scrape();
    assertTrue(scrape.contains("anthropic_degraded_total{level=\"stale-cache\"} 1.0"), scrape);
  }

  /** The local model's fake server runs on a Vert.x of its own, like a separate process. */
  private void startWithLocalModel() {
    localVertx = Vertx.vertx();
    local = new FakeOpenAiServer(localVertx);
    h = start(o -> o.setLocalModelBaseUrl(local.baseUrl()).setLocalModelName("llama3.1:8b"));
  }

  @Test
  void withEveryRegionDownTheLocalModelAnswersAndIsMarked() {
    startWithLocalModel();
    local.answer(
        req ->
            req.response()
                .putHeader("content-type", "application/json")
                .end(FakeOpenAiServer.completion("local answer", "stop", 9, 3)));
    h.sim.setProfile(FaultProfile.OVERLOADED);

    GatewayHarness.Reply reply = h.post("/v1/messages", GatewayHarness.message("hello"));

    assertEquals(200, reply.status(), reply.body().toString());
    assertEquals("local-model", reply.header("x-relay-degraded"));
    JsonObject message = reply.json();
    assertEquals("claude-sonnet-4-6", message.getString("model"));
    assertEquals(
        "local answer", message.getJsonArray("content").getJsonObject(0).getString("text"));
    assertEquals("end_turn", message.getString("stop_reason"));
    assertEquals("llama3.1:8b", local.received.get(0).body().getString("model"));
  }

  @Test
  void withEveryRegionDownTheLocalModelStreamsAndIsMarked() {
    startWithLocalModel();
    local.answer(
        req ->
            req.response()
                .putHeader("content-type", "text/event-stream")
                .end(
                    FakeOpenAiServer.chunk("Hel", null)
                        + FakeOpenAiServer.chunk("lo", null)
                        + FakeOpenAiServer.chunk(null, "stop")
                        + FakeOpenAiServer.usageChunk(5, 2)
                        + "data: [DONE]\n\n"));
    h.sim.setProfile(FaultProfile.OVERLOADED);

    GatewayHarness.Reply reply =
        post(GatewayHarness.message("hello").put("stream", true), Map.of());

    assertEquals(200, reply.status(), reply.body().toString());
    assertEquals("local-model", reply.header("x-relay-degraded"));
    MessageAccumulator folded = new MessageAccumulator();
    decode(reply).forEach(folded::accept);
    assertTrue(folded.isComplete());
    assertEquals("Hello", folded.textOf(0));
    assertEquals(2, folded.snapshot().usage().outputTokens());
  }

  @Test
  void withNothingElseARequestWithAnIdempotencyKeyIsQueuedAndRunsOnRecovery() {
    h =
        start( // No health probe here to close an open breaker: keep it closed, so that the
            // recovery is seen by a live call.
            o ->
                o.setPendingDir(dir.toString())
                    .setCacheEnabled(true)
                    .setMaxRetries(0)
                    .setBreakerMaxFailures(1000));
    h.sim.setProfile(FaultProfile.OVERLOADED);

    GatewayHarness.Reply queued =
        post(GatewayHarness.message("later please"), Map.of("idempotency-key", "order-17"));
    GatewayHarness.Reply again =
        post(GatewayHarness.message("later please"), Map.of("idempotency-key", "order-17"));
    GatewayHarness.Reply conflict =
        post(GatewayHarness.message("another body"), Map.of("idempotency-key", "order-17"));

    assertEquals(202, queued.status(), queued.body().toString());
    assertEquals("queued", queued.header("x-relay-degraded"));
    assertEquals("queued", queued.json().getString("type"));
    String taskId = queued.json().getString("task_id");
    assertNotNull(taskId);
    assertEquals(taskId, again.json().getString("task_id"), "same key, same task");
    assertEquals(422, conflict.status());
    assertEquals("invalid_request_error", conflict.errorType());

    GatewayHarness.Reply waiting = h.get("/v1/relay/tasks/" + taskId);
    assertEquals(200, waiting.status());
    assertEquals("QUEUED", waiting.json().getString("state"));
    assertEquals(1, h.get("/status").json().getInteger("pendingTasks"));
    assertEquals(404, h.get("/v1/relay/tasks/task_unknown").status());

    // The region recovers; a live success is one of the signals that starts the replay.
    h.sim.setProfile(FaultProfile.HEALTHY);
    long before = h.sim.requestCount("/v1/messages");
    GatewayHarness.Reply live = h.post("/v1/messages", GatewayHarness.message("live"));
    assertEquals(200, live.status(), live.body().toString());
    JsonObject done = null;
    for (int i = 0; i < 200; i++) { // bounded: 200 polls of the task, each a real request
      JsonObject state = h.get("/v1/relay/tasks/" + taskId).json();
      if ("DONE".equals(state.getString("state"))) {
        done = state;
        break;
      }
      Await.result(h.vertx.timer(20));
    }
    assertNotNull(done, "the task completed after the region recovered");
    assertEquals("message", done.getJsonObject("message").getString("type"));
    assertEquals(before + 2, h.sim.requestCount("/v1/messages"), "live call + one replay");
    assertEquals(0, h.get("/status").json().getInteger("pendingTasks"));
  }

  @Test
  void withNothingToFallBackOnTheRelayAnswersAFriendly503() {
    String closedPort = closedPortUrl();
    h =
        GatewayHarness.over(
            v -> closedPort,
            GatewayHarness.options(),
            o -> o.setCacheEnabled(true).setPendingDir(dir.toString()).setMaxRetries(1),
            WATCH_MS);

    GatewayHarness.Reply reply = h.post("/v1/messages", GatewayHarness.message("anyone?"));

    assertEquals(503, reply.status(), reply.body().toString());
    assertEquals("api_error", reply.errorType());
    String message = reply.json().getJsonObject("error").getString("message");
    assertTrue(message.contains("no region can serve the request now"), message);
    assertTrue(message.contains("idempotency-key"), "says how it could have been queued");
    assertTrue(message.contains("Retry after"), message);
    assertNotNull(reply.header("retry-after"));
    assertNull(reply.header("x-relay-degraded"));
  }

  @Test
  void anUpstreamErrorStillReachesTheClientAsItCameWhenTheChainRunsOut() {
    h = start(o -> o.setCacheEnabled(true).setMaxRetries(0));
    h.sim.setProfile(FaultProfile.OVERLOADED);

    GatewayHarness.Reply reply = h.post("/v1/messages", GatewayHarness.message("busy"));

    assertEquals(529, reply.status());
    assertEquals("overloaded_error", reply.errorType());
  }

  private static String closedPortUrl() {
    Vertx v = Vertx.vertx();
    try {
      HttpServer s = Await.result(v.createHttpServer().requestHandler(r -> {}).listen(0));
      int port = s.actualPort();
      Await.result(s.close());
      return "http://127.0.0.1:" + port;
    } finally {
      Await.result(v.close());
    }
  }

  private static List<StreamEvent> decode(GatewayHarness.Reply reply) {
    List<StreamEvent> events = new ArrayList<>();
    SseDecoder decoder =
        new SseDecoder(
            frame -> events.add(new StreamEvent(frame.event(), new JsonObject(frame.data()))),
            1 << 20);
    decoder.feed(reply.body());
    decoder.finish();
    return events;
  }
}
