package dev.clauderelay.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.api.Message;
import dev.clauderelay.api.error.ApiException;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.api.error.ConnectionException;
import dev.clauderelay.api.error.OverloadedException;
import dev.clauderelay.api.error.RateLimitException;
import dev.clauderelay.api.error.ServerErrorException;
import dev.clauderelay.sim.RecordedRequest;
import dev.clauderelay.sim.ScriptedResponse;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.BlockedThreadWatch;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The retry policy end to end, against the simulator on a real loopback socket. */
class ClaudeClientRetryTest {
  private BlockedThreadWatch watch;
  private Vertx vertx;
  private SimulatedAnthropic sim;

  @BeforeEach
  void start() {
    watch = new BlockedThreadWatch(200);
    vertx = watch.vertx();
    sim = Await.result(SimulatedAnthropic.start(vertx, new SimOptions().setPort(0)));
  }

  @AfterEach
  void stop() {
    Await.result(sim.close());
    List<String> blocked = watch.warnings();
    watch.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  static JsonObject hello() {
    return new JsonObject()
        .put("model", "claude-sonnet-4-6")
        .put("max_tokens", 16)
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hello")));
  }

  private ClaudeClient client(ClaudeClientOptions options) {
    return ClaudeClient.create(
        vertx, options.setBaseUrl(sim.baseUrl()).setApiKey("test-key-not-secret-0001"));
  }

  private static long gapMs(List<RecordedRequest> requests, int i) {
    return (requests.get(i).arrivalNanos() - requests.get(i - 1).arrivalNanos()) / 1_000_000;
  }

  @Test
  void overloadedTwiceThenSuccessTakesThreeAttemptsWithBackoffInsideTheFormula() {
    sim.enqueue(
        ScriptedResponse.error(529, "overloaded_error", "Overloaded"),
        ScriptedResponse.error(529, "overloaded_error", "Overloaded"));
    ClaudeClient client =
        client(new ClaudeClientOptions().setInitialBackoffMs(200).setMaxBackoffMs(2000));

    Message message = Await.result(client.messages(hello()));

    assertEquals("assistant", message.role());
    assertTrue(!message.text().isEmpty());
    List<RecordedRequest> requests = sim.requests();
    assertEquals(3, requests.size());
    // min(200 * 2^n, 2000) * U(0.75, 1]: [150, 200] then [300, 400]; timers never fire early and
    // may fire late on a loaded machine, hence only a loose upper slack.
    long first = gapMs(requests, 1);
    long second = gapMs(requests, 2);
    assertTrue(first >= 150 && first <= 200 + 250, "first wait " + first);
    assertTrue(second >= 300 && second <= 400 + 250, "second wait " + second);
  }

  @Test
  void retryAfterIsHonouredBeforeTheNextAttempt() {
    sim.enqueue(
        ScriptedResponse.error(429, "rate_limit_error", "slow down").header("retry-after", "2"));
    ClaudeClient client = client(new ClaudeClientOptions().setInitialBackoffMs(10));

    Await.result(client.messages(hello()));

    List<RecordedRequest> requests = sim.requests();
    assertEquals(2, requests.size());
    long gap = gapMs(requests, 1);
    assertTrue(gap >= 2000 && gap < 2000 + 500, "waited " + gap + " ms for retry-after: 2");
  }

  @Test
  void retryAfterAboveTheCapFailsFastWithTheWaitInTheError() {
    sim.enqueue(
        ScriptedResponse.error(429, "rate_limit_error", "come back later")
            .header("retry-after", "120"));
    ClaudeClient client = client(new ClaudeClientOptions().setMaxRetryAfterMs(60_000));

    long t0 = System.nanoTime();
    Throwable failure = Await.failure(client.messages(hello()));
    long elapsedMs = (System.nanoTime() - t0) / 1_000_000;

    RateLimitException e = assertInstanceOf(RateLimitException.class, failure);
    assertEquals(Duration.ofSeconds(120), e.retryAfter());
    assertTrue(e.getMessage().contains("120000 ms"), e.getMessage());
    assertTrue(e.getMessage().contains("retry.maxRetryAfterMs=60000"), e.getMessage());
    assertEquals(1, e.attempts());
    assertEquals(1, sim.requestCount());
    assertTrue(elapsedMs < 1000, "failed after " + elapsedMs + " ms");
  }

  @Test
  void shouldRetryFalseIsFinalWhateverTheStatus() {
    sim.enqueue(
        ScriptedResponse.error(503, "api_error", "down for maintenance")
            .header("x-should-retry", "false"));
    ClaudeClient client = client(new ClaudeClientOptions());

    Throwable failure = Await.failure(client.messages(hello()));

    ServerErrorException e = assertInstanceOf(ServerErrorException.class, failure);
    assertEquals(503, e.status());
    assertEquals("api_error", e.errorType());
    assertNotNull(e.requestId());
    assertEquals(1, e.attempts());
    assertEquals(1, sim.requestCount());
  }

  @Test
  void finalFailureKeepsEarlierAttemptsAsSuppressed() {
    for (int i = 0; i < 3; i++) {
      sim.enqueue(ScriptedResponse.error(529, "overloaded_error", "Overloaded"));
    }
    ClaudeClient client =
        client(
            new ClaudeClientOptions().setMaxRetries(2).setInitialBackoffMs(5).setMaxBackoffMs(10));

    Throwable failure = Await.failure(client.messages(hello()));

    OverloadedException e = assertInstanceOf(OverloadedException.class, failure);
    assertEquals(3, e.attempts());
    assertEquals("anthropic", e.region());
    assertEquals(2, e.getSuppressed().length);
    assertTrue(e.getMessage().contains("gave up after 3 attempts"), e.getMessage());
    assertEquals(3, sim.requestCount());
  }

  @Test
  void connectionRefusedIsRetriedThenSurfacesAsConnectionException() {
    int closedPort = sim.port();
    Await.result(sim.close());
    ClaudeClient client =
        ClaudeClient.create(
            vertx,
            new ClaudeClientOptions()
                .setBaseUrl("http://127.0.0.1:" + closedPort)
                .setApiKey("k")
                .setMaxRetries(2)
                .setInitialBackoffMs(20)
                .setMaxBackoffMs(40));
    sim = Await.result(SimulatedAnthropic.start(vertx, new SimOptions().setPort(0)));

    Throwable failure = Await.failure(client.messages(hello()));

    ConnectionException e = assertInstanceOf(ConnectionException.class, failure);
    assertEquals(ConnectionException.Kind.REFUSED, e.kind());
    assertEquals(3, e.attempts());
    assertEquals(2, e.getSuppressed().length);
  }

  @Test
  void serverThatNeverAnswersIsATimeoutWithinTheConfiguredTime() {
    sim.enqueue(ScriptedResponse.hang());
    ClaudeClient client =
        client(new ClaudeClientOptions().setResponseTimeoutMs(300).setMaxRetries(0));

    long t0 = System.nanoTime();
    Throwable failure = Await.failure(client.messages(hello()));
    long elapsedMs = (System.nanoTime() - t0) / 1_000_000;

    ClaudeTimeoutException e = assertInstanceOf(ClaudeTimeoutException.class, failure);
    assertEquals(ClaudeTimeoutException.Phase.RESPONSE_HEADERS, e.phase());
    assertTrue(elapsedMs >= 300 && elapsedMs < 1300, "timed out after " + elapsedMs + " ms");
  }

  @Test
  void timeoutBeforeAnyResponseIsRetried() {
    sim.enqueue(ScriptedResponse.hang());
    ClaudeClient client =
        client(new ClaudeClientOptions().setResponseTimeoutMs(200).setInitialBackoffMs(10));

    Message message = Await.result(client.messages(hello()));

    assertNotNull(message.id());
    assertEquals(2, sim.requestCount());
  }

  @Test
  void theDeadlineBoundsTheWholeCall() {
    for (int i = 0; i < 10; i++) {
      sim.enqueue(ScriptedResponse.hang());
    }
    ClaudeClient client =
        client(
            new ClaudeClientOptions()
                .setResponseTimeoutMs(300)
                .setMaxRetries(10)
                .setInitialBackoffMs(100)
                .setDeadlineMs(900));

    long t0 = System.nanoTime();
    Throwable failure = Await.failure(client.messages(hello()));
    long elapsedMs = (System.nanoTime() - t0) / 1_000_000;

    assertInstanceOf(ClaudeTimeoutException.class, failure);
    assertTrue(elapsedMs <= 900 + 400, "deadline 900 ms, call took " + elapsedMs + " ms");
    assertTrue(sim.requestCount() >= 2, "retried inside the deadline");
  }

  @Test
  void retriesThatWouldPassTheDeadlineAreNotAttempted() {
    sim.enqueue(
        ScriptedResponse.error(429, "rate_limit_error", "later").header("retry-after", "5"));
    ClaudeClient client = client(new ClaudeClientOptions().setDeadlineMs(1000));

    long t0 = System.nanoTime();
    Throwable failure = Await.failure(client.messages(hello()));
    long elapsedMs = (System.nanoTime() - t0) / 1_000_000;

    ApiException e = assertInstanceOf(RateLimitException.class, failure);
    assertTrue(e.getMessage().contains("deadline"), e.getMessage());
    assertTrue(elapsedMs < 1000, "gave up at once, took " + elapsedMs + " ms");
    assertEquals(1, sim.requestCount());
  }
}
