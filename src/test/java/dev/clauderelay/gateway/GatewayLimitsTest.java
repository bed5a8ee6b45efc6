package dev.clauderelay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Input limits, each checked before anything goes upstream: body size, malformed bodies, the
 * request-smuggling shapes, slow clients, request-line and header limits, unknown routes.
 */
class GatewayLimitsTest {
  private static final long HEADER_TIMEOUT_MS = 300;
  private static final long BODY_TIMEOUT_MS = 300;
  private static final long IDLE_TIMEOUT_MS = 500;
  private static final int MAX_BODY = 4096;

  private GatewayHarness h;

  @BeforeEach
  void start() {
    h =
        GatewayHarness.start(
            GatewayHarness.options()
                .setMaxBodyBytes(MAX_BODY)
                .setHeaderTimeoutMs(HEADER_TIMEOUT_MS)
                .setBodyTimeoutMs(BODY_TIMEOUT_MS)
                .setIdleTimeoutMs(IDLE_TIMEOUT_MS)
                .setMaxInitialLineLength(1024)
                .setMaxHeaderSize(2048),
            o -> {});
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private RawSocket raw() {
    return RawSocket.connect(h.vertx, h.port());
  }

  private static JsonObject errorOf(String response) {
    return new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4));
  }

  @Test
  void aDeclaredBodyAboveTheLimitIs413BeforeItIsRead() {
    try (RawSocket s = raw()) {
      s.send(
          "POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: "
              + GatewayHarness.TOKEN
              + "\r\ncontent-type: application/json\r\nContent-Length: "
              + (MAX_BODY + 1)
              + "\r\n\r\n{\"model\":");
      String response = s.awaitReceived("}", 5_000);
      assertTrue(response.startsWith("HTTP/1.1 413"), response);
      assertTrue(response.toLowerCase().contains("connection: close"), response);
      JsonObject error = errorOf(response);
      assertEquals("request_too_large", error.getJsonObject("error").getString("type"));
      assertTrue(error.getString("request_id").startsWith("req_relay_"));
      s.awaitClosed(5_000);
    }
    assertEquals(0, h.sim.requestCount());
  }

  @Test
  void aChunkedBodyGrowingPastTheLimitIs413() {
    try (RawSocket s = raw()) {
      String chunk = "x".repeat(1000);
      StringBuilder req =
          new StringBuilder(
              "POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: "
                  + GatewayHarness.TOKEN
                  + "\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (int i = 0; i < 5; i++) {
        req.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
      }
      s.send(req.toString());
      String response = s.awaitReceived("}", 5_000);
      assertTrue(response.startsWith("HTTP/1.1 413"), response);
      s.awaitClosed(5_000);
    }
    assertEquals(0, h.sim.requestCount());
  }

  @Test
  void aBodyAtTheLimitIsServed() {
    JsonObject body = GatewayHarness.message("x");
    body.put("metadata", new JsonObject().put("user_id", "u"));
    String padding = "p".repeat(MAX_BODY - body.encode().length() - "\"system\":\"\",".length());
    body.put("system", padding);
    assertEquals(MAX_BODY, body.toBuffer().length());

    assertEquals(200, h.post("/v1/messages", body).status());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"model\": \"claude-sonnet-4-6\", \"max_tokens\": 10, ",
        "[1, 2, 3]",
        "",
        "{\"max_tokens\": 10, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
        "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
        "{\"model\": \"m\", \"max_tokens\": 10}",
        "{\"model\": \"m\", \"max_tokens\": 10, \"messages\": [], \"stream\": true}",
        "{\"model\": \"m\", \"max_tokens\": 1.5, \"messages\": [{\"role\": \"user\"}]}",
        "{\"model\": \"m\", \"max_tokens\": 10, \"messages\": [{}], \"stream\": \"yes\"}",
        // A key twice: the body goes upstream as it came, so the relay would check one value
        // and the API might read the other.
        "{\"model\": \"m\", \"max_tokens\": 10, \"max_tokens\": 100000,"
            + " \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
        "{\"model\": \"m\", \"max_tokens\": 10, \"messages\": [{\"role\": \"user\","
            + " \"role\": \"assistant\", \"content\": \"hi\"}]}"
      })
  void aMalformedOrIncompleteBodyIs400WithZeroUpstreamRequests(String body) {
    GatewayHarness.Reply reply =
        h.call(
            HttpMethod.POST,
            "/v1/messages",
            Map.of("x-api-key", GatewayHarness.TOKEN, "content-type", "application/json"),
            Buffer.buffer(body));

    assertEquals(400, reply.status(), reply.body().toString());
    assertEquals("invalid_request_error", reply.errorType());
    assertEquals(reply.header("request-id"), reply.json().getString("request_id"));
    assertEquals("0", reply.header("x-relay-attempts"));
    assertEquals(0, h.sim.requestCount(), "nothing went upstream");
  }

  @Test
  void countTokensChecksItsBodyToo() {
    GatewayHarness.Reply reply = h.post("/v1/messages/count_tokens", new JsonObject());

    assertEquals(400, reply.status());
    assertEquals(0, h.sim.requestCount());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // Content-Length and Transfer-Encoding together (CL.TE / TE.CL smuggling).
        "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        // An unknown transfer coding.
        "POST /v1/messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
        // chunked not last.
        "POST /v1/messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n"
            + "0\r\n\r\n",
        // Two different Content-Length values.
        "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n"
            + "{}x",
        // A Content-Length that is not a number.
        "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 2x\r\n\r\n{}",
        // Obsolete line folding of Transfer-Encoding.
        "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding:\r\n"
            + " chunked\r\n\r\n{}"
      })
  void requestSmugglingShapesAre400AndTheConnectionCloses(String request) {
    String withAuth =
        request.replace("Host: x\r\n", "Host: x\r\nx-api-key: " + GatewayHarness.TOKEN + "\r\n");
    try (RawSocket s = raw()) {
      s.send(withAuth);
      s.awaitClosed(5_000);
      String response = s.received();
      assertTrue(response.startsWith("HTTP/1.1 400"), response);
      assertEquals(
          "invalid_request_error", errorOf(response).getJsonObject("error").getString("type"));
    }
    assertEquals(0, h.sim.requestCount());
  }

  @Test
  void aSlowHeaderClientIsCutAfterTheHeaderTimeout() {
    try (RawSocket s = raw()) {
      long t0 = System.nanoTime();
      s.send("POST /v1/mess");
      long closedAt = s.awaitClosed(5_000);
      long ms = (closedAt - t0) / 1_000_000;
      assertTrue(ms >= HEADER_TIMEOUT_MS - 50 && ms < HEADER_TIMEOUT_MS + 1_500, ms + " ms");
      assertEquals("", s.received(), "nothing to answer: no request was read");
    }
  }

  @Test
  void aSlowBodyClientIsCutAfterTheBodyTimeoutWith408() {
    try (RawSocket s = raw()) {
      long t0 = System.nanoTime();
      s.send(
          "POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: "
              + GatewayHarness.TOKEN
              + "\r\nContent-Length: 100\r\n\r\n{\"model\": \"claude");
      long closedAt = s.awaitClosed(5_000);
      long ms = (closedAt - t0) / 1_000_000;
      assertTrue(ms >= BODY_TIMEOUT_MS - 50 && ms < BODY_TIMEOUT_MS + 1_500, ms + " ms");
      String response = s.received();
      assertTrue(response.startsWith("HTTP/1.1 408"), response);
      assertEquals("timeout_error", errorOf(response).getJsonObject("error").getString("type"));
    }
    assertEquals(0, h.sim.requestCount());
  }

  @Test
  void anIdleKeptAliveConnectionIsClosedAfterTheIdleTimeout() {
    try (RawSocket s = raw()) {
      s.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
      s.awaitReceived("\"UP\"", 5_000);
      long t0 = System.nanoTime();
      long closedAt = s.awaitClosed(5_000);
      long ms = (closedAt - t0) / 1_000_000;
      assertTrue(ms < IDLE_TIMEOUT_MS + 1_500, ms + " ms");
    }
  }

  @Test
  void aTooLongRequestLineIs414AndTooLargeHeadersAre431() {
    try (RawSocket s = raw()) {
      s.send("GET /v1/models?after_id=" + "a".repeat(2000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
      s.awaitClosed(5_000);
      // The version is unknown when the request line could not be read: Vert.x answers 1.0.
      assertTrue(s.received().matches("(?s)HTTP/1\\.[01] 414 .*"), s.received());
    }
    try (RawSocket s = raw()) {
      s.send("GET /v1/models HTTP/1.1\r\nHost: x\r\nx-big: " + "b".repeat(4000) + "\r\n\r\n");
      s.awaitClosed(5_000);
      assertTrue(s.received().matches("(?s)HTTP/1\\.[01] 431 .*"), s.received());
    }
    assertEquals(0, h.sim.requestCount());
  }

  @Test
  void anUnknownRouteIsNotFoundInAnthropicJson() {
    GatewayHarness.Reply reply = h.get("/v1/nothing-here");

    assertEquals(404, reply.status());
    assertEquals("not_found_error", reply.errorType());
    assertTrue(reply.header("request-id").startsWith("req_relay_"));

    GatewayHarness.Reply wrongMethod = h.get("/v1/messages");
    assertEquals(405, wrongMethod.status());
    assertEquals("not_found_error", wrongMethod.errorType());
    assertEquals(0, h.sim.requestCount());
  }
}
