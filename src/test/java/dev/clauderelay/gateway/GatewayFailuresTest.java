package dev.clauderelay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.sim.FaultProfile;
import dev.clauderelay.sim.ScriptedResponse;
import io.vertx.core.http.HttpMethod;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the pipeline's failures reach the client: statuses, bodies and headers. */
class GatewayFailuresTest {
  private GatewayHarness h;

  @AfterEach
  void stop() {
    h.close();
  }

  private GatewayHarness.Reply send() {
    return h.post("/v1/messages", GatewayHarness.message("hi"));
  }

  @Test
  void anUpstreamErrorKeepsItsStatusBodyAndHeaders() {
    h = GatewayHarness.start(GatewayHarness.options(), o -> o.setMaxRetries(0));
    h.sim.enqueue(
        ScriptedResponse.error(429, "rate_limit_error", "Number of request tokens has exceeded")
            .header("retry-after", "7")
            .header("anthropic-ratelimit-requests-remaining", "0")
            .header("x-internal", "not passed"));

    GatewayHarness.Reply reply = send();

    assertEquals(429, reply.status());
    assertEquals("rate_limit_error", reply.errorType());
    assertEquals(
        "Number of request tokens has exceeded",
        reply.json().getJsonObject("error").getString("message"));
    String upstreamId = h.sim.lastRequest().requestId();
    assertEquals(upstreamId, reply.header("request-id"));
    assertEquals(upstreamId, reply.json().getString("request_id"));
    assertEquals("7", reply.header("retry-after"));
    assertEquals("0", reply.header("anthropic-ratelimit-requests-remaining"));
    assertEquals(null, reply.header("x-internal"));
    assertEquals("anthropic", reply.header("x-relay-region"));
    assertEquals("1", reply.header("x-relay-attempts"));
    assertEquals(null, reply.header("x-relay-degraded"));
  }

  @Test
  void aNonJsonUpstreamErrorIsWrappedInAnthropicJson() {
    h = GatewayHarness.start(GatewayHarness.options(), o -> o.setMaxRetries(0));
    h.sim.enqueue(
        ScriptedResponse.status(413).body("text/html", "<html><body>413 Request Entity Too Large"));

    GatewayHarness.Reply reply = send();

    assertEquals(413, reply.status());
    assertEquals("request_too_large", reply.errorType());
    assertTrue(
        reply
            .json()
            .getJsonObject("error")
            .getString("message")
            .contains("Request Entity Too Large"),
        reply.body().toString());
  }

  @Test
  void aSuccessCarriesTheUpstreamsIdAndRateLimitFigures() {
    h = GatewayHarness.start();
    h.sim.setProfile(FaultProfile.RATELIMITED);

    GatewayHarness.Reply reply = send();

    assertEquals(200, reply.status());
    assertEquals(h.sim.lastRequest().requestId(), reply.header("request-id"));
    assertNotNull(reply.header("anthropic-ratelimit-requests-remaining"));
    assertEquals("1", reply.header("x-relay-attempts"));
  }

  @Test
  void anOpenBreakerMakesTheGatewayUnreadyAndAnswers503WithRetryAfter() {
    h =
        GatewayHarness.start(
            GatewayHarness.options(), o -> o.setMaxRetries(0).setBreakerMaxFailures(1));
    h.sim.enqueue(ScriptedResponse.error(529, "overloaded_error", "Overloaded"));
    assertEquals(529, send().status());
    assertEquals(1, h.sim.requestCount());

    GatewayHarness.Reply ready = h.call(HttpMethod.GET, "/health/ready", Map.of(), null);
    GatewayHarness.Reply reply = send();

    assertEquals(503, ready.status());
    assertEquals(503, reply.status());
    assertEquals("api_error", reply.errorType());
    assertTrue(Long.parseLong(reply.header("retry-after")) >= 1, reply.header("retry-after"));
    assertTrue(reply.header("request-id").startsWith("req_relay_"));
    assertEquals(1, h.sim.requestCount(), "nothing more went upstream");
  }

  @Test
  void theRelaysOwnRateLimitIs429WithRetryAfter() {
    h =
        GatewayHarness.start(
            GatewayHarness.options(),
            o -> o.setMaxRetries(0).setRequestsPerMinute(1).setDeadlineMs(300));
    assertEquals(200, send().status());

    GatewayHarness.Reply reply = send();

    assertEquals(429, reply.status(), reply.body().toString());
    assertEquals("rate_limit_error", reply.errorType());
    assertNotNull(reply.header("retry-after"));
    assertEquals(1, h.sim.requestCount(), "the paced call never went upstream");
  }

  @Test
  void anUnreachableUpstreamIs502() {
    h =
        GatewayHarness.over(
            vertx -> "http://127.0.0.1:1", GatewayHarness.options(), o -> o.setMaxRetries(0));

    GatewayHarness.Reply reply = send();

    assertEquals(502, reply.status());
    assertEquals("api_error", reply.errorType());
    assertEquals("anthropic", reply.header("x-relay-region"));
  }
}
