package dev.clauderelay.eventbus;

import static dev.clauderelay.eventbus.EventBusTesting.errorJson;
import static dev.clauderelay.eventbus.EventBusTesting.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.sim.ScriptedResponse;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.BlockedThreadWatch;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code claude.messages}: request/reply against the simulator on a real socket. */
class ClaudeVerticleMessagesTest {
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
  }

  private Throwable failureOf(Object body) {
    return Await.failure(bus.request(Addresses.MESSAGES, body));
  }

  @Test
  void theReplyIsTheMessageJsonAndAnthropicHeadersAreForwarded() {
    DeliveryOptions headers =
        new DeliveryOptions()
            .addHeader("anthropic-beta", "tools-2024-04-04")
            .addHeader("x-relay-deadline-ms", "20000");
    JsonObject reply =
        Await.result(bus.<JsonObject>request(Addresses.MESSAGES, request(16), headers)).body();

    assertEquals("message", reply.getString("type"));
    assertEquals("assistant", reply.getString("role"));
    assertEquals("max_tokens", reply.getString("stop_reason"));
    assertFalse(reply.getJsonArray("content").getJsonObject(0).getString("text").isBlank());
    assertEquals(16, reply.getJsonObject("usage").getInteger("output_tokens"));
    assertEquals("tools-2024-04-04", sim.lastRequest().header("anthropic-beta"));
  }

  @Test
  void anInvalidRequestFailsWith400AndNothingGoesUpstream() {
    JsonObject json = errorJson(failureOf(request(16).copy().put("max_tokens", 0)), 400);

    assertEquals("invalid_request_error", json.getJsonObject("error").getString("type"));
    assertTrue(json.getJsonObject("error").getString("message").contains("max_tokens"));
    assertEquals(0, sim.requestCount("/v1/messages"));
  }

  @Test
  void anUpstream400KeepsTheUpstreamErrorJson() {
    sim.enqueue(
        ScriptedResponse.error(400, "invalid_request_error", "messages: roles must alternate"));

    JsonObject json = errorJson(failureOf(request(16)), 400);

    assertEquals(
        "messages: roles must alternate", json.getJsonObject("error").getString("message"));
    assertNotNull(json.getString("request_id"), "the upstream request id is kept");
  }

  @Test
  void anUpstream404Is404() {
    sim.enqueue(ScriptedResponse.error(404, "not_found_error", "model: claude-nope"));

    JsonObject json = errorJson(failureOf(request(16)), 404);

    assertEquals("not_found_error", json.getJsonObject("error").getString("type"));
    assertEquals("model: claude-nope", json.getJsonObject("error").getString("message"));
    assertEquals(1, sim.requestCount("/v1/messages"));
  }

  @Test
  void anUpstream529IsOverloaded() {
    sim.enqueue(ScriptedResponse.status(529));

    JsonObject json = errorJson(failureOf(request(16)), 529);

    assertEquals("overloaded_error", json.getJsonObject("error").getString("type"));
  }

  @Test
  void aBodyThatIsNotAJsonObjectIs400() {
    JsonObject json = errorJson(failureOf("hello"), 400);

    assertTrue(json.getJsonObject("error").getString("message").contains("JSON object"));
    assertEquals(0, sim.requestCount());
  }

  @Test
  void aMalformedDeadlineHeaderIs400() {
    DeliveryOptions headers = new DeliveryOptions().addHeader("x-relay-deadline-ms", "soon");

    Throwable failure = Await.failure(bus.request(Addresses.MESSAGES, request(16), headers));

    assertTrue(errorJson(failure, 400).encode().contains("x-relay-deadline-ms"));
  }

  @Test
  void theOptionsConstructorBuildsAndClosesItsOwnClient() {
    ClaudeVerticle own =
        new ClaudeVerticle(new ClaudeClientOptions().setBaseUrl(sim.baseUrl()).setApiKey("k2"));
    // A second instance on the same address: the event bus round-robins between the two.
    String id = Await.result(vertx.deployVerticle(own));
    for (int i = 0; i < 4; i++) {
      Await.result(bus.request(Addresses.MESSAGES, request(4)));
    }
    assertTrue(
        sim.requests().stream().anyMatch(r -> "k2".equals(r.header("x-api-key"))),
        "the verticle's own client served some requests");
    Await.result(vertx.undeploy(id));
    Await.result(bus.request(Addresses.MESSAGES, request(4)));
  }
}
