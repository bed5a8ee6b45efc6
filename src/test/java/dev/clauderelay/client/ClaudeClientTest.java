package dev.clauderelay.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.api.Message;
import dev.clauderelay.api.error.AuthenticationException;
import dev.clauderelay.api.error.InvalidRequestException;
import dev.clauderelay.api.error.MalformedResponseException;
import dev.clauderelay.api.error.NoUsableRegionException;
import dev.clauderelay.api.error.NotFoundException;
import dev.clauderelay.api.error.RequestTooLargeException;
import dev.clauderelay.api.error.ServerErrorException;
import dev.clauderelay.api.error.SpendLimitReachedException;
import dev.clauderelay.sim.RecordedRequest;
import dev.clauderelay.sim.ScriptedResponse;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.BlockedThreadWatch;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's calls, headers and error mapping against the simulator. */
class ClaudeClientTest {
  private static final String KEY = "test-key-not-secret-0002";
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
                .setApiKey(KEY)
                .setInitialBackoffMs(5)
                .setMaxBackoffMs(10));
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
  void messagesSendsTheAnthropicHeadersAndParsesTheMessage() {
    Message message =
        Await.result(
            client.messages(
                ClaudeClientRetryTest.hello(),
                new CallOptions().putHeader("anthropic-beta", "tools-2099-01-01")));

    assertEquals("message", message.type());
    assertEquals("claude-sonnet-4-6", message.model());
    assertTrue(message.usage().outputTokens() > 0);
    RecordedRequest seen = sim.lastRequest();
    assertEquals("/v1/messages", seen.path());
    assertEquals(KEY, seen.header("x-api-key"));
    assertEquals("2023-06-01", seen.header("anthropic-version"));
    assertEquals("tools-2099-01-01", seen.header("anthropic-beta"));
    assertEquals("application/json", seen.header("content-type"));
    assertNull(seen.header("authorization"));
  }

  @Test
  void aCallersAnthropicVersionIsForwarded() {
    Await.result(
        client.messages(
            ClaudeClientRetryTest.hello(),
            new CallOptions().putHeader("Anthropic-Version", "2026-10-21")));
    assertEquals("2026-10-21", sim.lastRequest().header("anthropic-version"));
  }

  @Test
  void countTokensAndModels() {
    JsonObject count =
        Await.result(client.countTokens(ClaudeClientRetryTest.hello().copy().put("max_tokens", 1)));
    assertTrue(count.getLong("input_tokens") > 0);
    JsonObject models = Await.result(client.models());
    assertTrue(models.getJsonArray("data").size() > 0);
    assertEquals("GET", sim.lastRequest().method());
  }

  @Test
  void unknownFieldsAndBlockTypesAreKept() {
    JsonObject body =
        new JsonObject(
            "{\"id\":\"msg_x\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\","
                + "\"content\":[{\"type\":\"hologram\",\"frames\":3},{\"type\":\"text\",\"text\":\"hi\"}],"
                + "\"stop_reason\":\"a_new_reason\",\"usage\":{\"input_tokens\":1,\"output_tokens\":2,"
                + "\"carbon_grams\":0.1},\"future_field\":{\"x\":1}}");
    sim.enqueue(ScriptedResponse.status(200).json(body));

    Message message = Await.result(client.messages(ClaudeClientRetryTest.hello()));

    assertEquals(body, message.toJson());
    assertEquals("hologram", message.content().get(0).type());
    assertEquals("hi", message.text());
    assertEquals("a_new_reason", message.stopReason());
  }

  @Test
  void finalStatusesMapToTheirExceptionsAfterOneAttempt() {
    sim.enqueue(ScriptedResponse.error(404, "not_found_error", "Not found"));
    assertInstanceOf(
        NotFoundException.class, Await.failure(client.messages(ClaudeClientRetryTest.hello())));

    sim.enqueue(ScriptedResponse.status(413).body("text/html", "<html>Request Too Large</html>"));
    RequestTooLargeException tooLarge =
        assertInstanceOf(
            RequestTooLargeException.class,
            Await.failure(client.messages(ClaudeClientRetryTest.hello())));
    assertNull(tooLarge.errorType());
    assertTrue(tooLarge.getMessage().contains("Request Too Large"), tooLarge.getMessage());

    sim.enqueue(
        ScriptedResponse.status(429)
            .json(
                new JsonObject(
                    "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":"
                        + "\"spend limit\",\"details\":{\"error_code\":\"enforced_spend_limit_reached\"}}}")));
    assertInstanceOf(
        SpendLimitReachedException.class,
        Await.failure(client.messages(ClaudeClientRetryTest.hello())));
    assertEquals(3, sim.requestCount());

    sim.enqueue(ScriptedResponse.error(401, "authentication_error", "invalid x-api-key"));
    AuthenticationException auth =
        assertInstanceOf(
            AuthenticationException.class,
            Await.failure(client.messages(ClaudeClientRetryTest.hello())));
    assertEquals("authentication_error", auth.errorType());
    assertTrue(auth.requestId().startsWith("req_"));
    assertTrue(auth.getMessage().contains(auth.requestId()));
    assertTrue(!auth.getMessage().contains(KEY), "the key never appears in errors");

    // The only key was revoked by the 401: nothing more goes upstream with it.
    NoUsableRegionException none =
        assertInstanceOf(
            NoUsableRegionException.class,
            Await.failure(client.messages(ClaudeClientRetryTest.hello())));
    assertTrue(none.getMessage().contains("all keys revoked"), none.getMessage());
    assertEquals(4, sim.requestCount());
  }

  @Test
  void garbageFromUpstreamBecomesATypedErrorWithTheRequestId() {
    sim.enqueue(ScriptedResponse.status(200).body("application/json", "{\"id\": \"msg_tru"));
    MalformedResponseException malformed =
        assertInstanceOf(
            MalformedResponseException.class,
            Await.failure(client.messages(ClaudeClientRetryTest.hello())));
    assertTrue(malformed.requestId().startsWith("req_"), malformed.getMessage());
    assertEquals(1, sim.requestCount());

    for (int i = 0; i < 4; i++) {
      sim.enqueue(ScriptedResponse.status(502).body("text/html", "<h1>Bad gateway</h1>"));
    }
    ServerErrorException proxy =
        assertInstanceOf(
            ServerErrorException.class,
            Await.failure(client.messages(ClaudeClientRetryTest.hello())));
    assertEquals(502, proxy.status());
    assertTrue(proxy.getMessage().contains("Bad gateway"), proxy.getMessage());
    assertEquals(4, proxy.attempts());
  }

  @Test
  void invalidRequestsAreRefusedBeforeAnythingIsSent() {
    JsonObject noMax = ClaudeClientRetryTest.hello().copy();
    noMax.remove("max_tokens");
    InvalidRequestException e =
        assertInstanceOf(InvalidRequestException.class, Await.failure(client.messages(noMax)));
    assertTrue(e.getMessage().startsWith("max_tokens"), e.getMessage());
    assertInstanceOf(
        InvalidRequestException.class,
        Await.failure(client.messages(ClaudeClientRetryTest.hello().copy().put("model", ""))));
    assertInstanceOf(
        InvalidRequestException.class,
        Await.failure(client.messages(ClaudeClientRetryTest.hello().copy().put("stream", true))));
    assertEquals(0, sim.requestCount());
  }

  @Test
  void invalidOptionsNameTheOptionAndTheAllowedRange() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new ClaudeClientOptions().setMaxRetries(-1));
    assertEquals("maxRetries must be between 0 and 100, got -1", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ClaudeClientOptions(new JsonObject().put("maxRetrys", 3)));
    assertTrue(e.getMessage().contains("unknown option 'maxRetrys'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ClaudeClientOptions(new JsonObject().put("deadlineMs", "soon")));
    assertTrue(e.getMessage().contains("deadlineMs must be an integer"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ClaudeClientOptions().setBaseUrl("https://api.anthropic.com/v1"));
    assertTrue(e.getMessage().contains("/v1/v1/messages"), e.getMessage());
    JsonObject json = new ClaudeClientOptions().setApiKey(KEY).setMaxRetries(5).toJson();
    assertEquals(json, new ClaudeClientOptions(json).toJson());
    assertTrue(!new ClaudeClientOptions().setApiKey(KEY).toString().contains(KEY));
  }
}
