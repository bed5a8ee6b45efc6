package dev.clauderelay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.testing.Await;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Client auth: which credentials get in, what the rest gets, when the gateway refuses to start. */
class GatewayAuthTest {
  private GatewayHarness h;

  @BeforeEach
  void start() {
    h = GatewayHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private GatewayHarness.Reply models(Map<String, String> headers) {
    return h.call(HttpMethod.GET, "/v1/models", headers, null);
  }

  @Test
  void noCredentialIs401AuthenticationErrorWithZeroUpstreamRequests() {
    GatewayHarness.Reply reply = models(Map.of());

    assertEquals(401, reply.status());
    assertEquals("authentication_error", reply.errorType());
    String id = reply.header("request-id");
    assertTrue(id.startsWith("req_relay_"), id);
    assertEquals(id, reply.json().getString("request_id"));
    assertNull(reply.header("x-relay-region"));
    assertEquals(0, h.sim.requestCount());
  }

  @ParameterizedTest
  @CsvSource({
    "x-api-key, wrong-token",
    "authorization, Bearer wrong-token",
    "authorization, Basic " + GatewayHarness.TOKEN,
    "authorization, " + GatewayHarness.TOKEN,
    "x-api-key, ''"
  })
  void aWrongCredentialIs401(String header, String value) {
    GatewayHarness.Reply reply = models(Map.of(header, value));

    assertEquals(401, reply.status());
    assertEquals("authentication_error", reply.errorType());
    assertEquals(0, h.sim.requestCount());
  }

  @ParameterizedTest
  @CsvSource({
    "x-api-key, " + GatewayHarness.TOKEN,
    "x-api-key, " + GatewayHarness.SECOND_TOKEN,
    "authorization, Bearer " + GatewayHarness.TOKEN,
    "authorization, bearer " + GatewayHarness.SECOND_TOKEN
  })
  void aGatewayTokenInEitherHeaderGetsIn(String header, String value) {
    GatewayHarness.Reply reply = models(Map.of(header, value));

    assertEquals(200, reply.status(), reply.body().toString());
    assertEquals(1, h.sim.requestCount());
    assertEquals(GatewayHarness.REGION_KEY, h.sim.lastRequest().header("x-api-key"));
    assertNull(h.sim.lastRequest().header("authorization"));
  }

  @Test
  void aRejectedPostClosesItsConnectionAndTheNextOneIsServed() {
    try (RawSocket s = RawSocket.connect(h.vertx, h.port())) {
      String body = GatewayHarness.message("hi").encode();
      s.send(
          "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: "
              + body.length()
              + "\r\n\r\n"
              + body);
      String response = s.awaitReceived("}", 5_000);
      assertTrue(response.startsWith("HTTP/1.1 401"), response);
      s.awaitClosed(5_000);
    }
    assertEquals(200, h.post("/v1/messages", GatewayHarness.message("hi")).status());
  }

  @Test
  void operationsEndpointsNeedNoToken() {
    GatewayHarness.Reply live = h.call(HttpMethod.GET, "/health/live", Map.of(), null);
    GatewayHarness.Reply ready = h.call(HttpMethod.GET, "/health/ready", Map.of(), null);
    GatewayHarness.Reply status = h.call(HttpMethod.GET, "/status", Map.of(), null);
    GatewayHarness.Reply metrics = h.call(HttpMethod.GET, "/metrics", Map.of(), null);

    assertEquals(200, live.status());
    assertEquals(200, ready.status());
    assertEquals(200, status.status());
    assertEquals(
        "anthropic", status.json().getJsonArray("regions").getJsonObject(0).getString("name"));
    assertEquals(0, status.json().getInteger("pendingTasks"));
    assertEquals(404, metrics.status(), "no scrape function given");
    assertEquals(0, h.sim.requestCount());
  }

  @Test
  void withoutTokensTheGatewayRefusesToStartOnANetworkHost() {
    ClaudeClient client =
        ClaudeClient.create(h.vertx, new ClaudeClientOptions().setBaseUrl(h.sim.baseUrl()));
    GatewayOptions open = new GatewayOptions().setHost("0.0.0.0").setPort(0);

    Throwable failure =
        Await.failure(
            h.vertx.deployVerticle(
                new GatewayVerticle(client, open, GatewayHarness.regions(client), null)));

    assertTrue(failure.getMessage().contains("gateway.tokens is empty"), failure.getMessage());
    assertTrue(failure.getMessage().contains("0.0.0.0"), failure.getMessage());
    Await.result(client.close());
  }

  @Test
  void withoutTokensOnLoopbackTheGatewayIsOpen() {
    ClaudeClient client =
        ClaudeClient.create(
            h.vertx,
            new ClaudeClientOptions()
                .setBaseUrl(h.sim.baseUrl())
                .setApiKey(GatewayHarness.REGION_KEY));
    GatewayVerticle open =
        new GatewayVerticle(
            client,
            new GatewayOptions().setHost("127.0.0.1").setPort(0),
            GatewayHarness.regions(client),
            null);
    String id = Await.result(h.vertx.deployVerticle(open));
    try {
      io.vertx.core.http.HttpClient http = h.vertx.createHttpClient();
      int status =
          Await.result(
              http.request(HttpMethod.GET, open.actualPort(), "127.0.0.1", "/v1/models")
                  .compose(r -> r.send())
                  .map(r -> r.statusCode()));
      assertEquals(200, status);
      Await.result(http.close());
    } finally {
      Await.result(h.vertx.undeploy(id));
      Await.result(client.close());
    }
  }

  @Test
  void loopbackIsDecidedFromTheTextAlone() {
    for (String host :
        List.of("localhost", "127.0.0.1", "127.10.0.3", "::1", "[::1]", "0:0:0:0:0:0:0:1")) {
      assertTrue(Loopback.isLoopback(host), host);
    }
    for (String host : List.of("0.0.0.0", "::", "10.0.0.1", "example.com", "128.0.0.1")) {
      assertFalse(Loopback.isLoopback(host), host);
    }
  }
}
