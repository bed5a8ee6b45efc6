package dev.clauderelay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.sim.RecordedRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway checks a client's JSON but sends the bytes it received: key order, spacing, number
 * forms and escapes arrive upstream exactly as the client wrote them (a re-encoded body would
 * differ in each of these), for JSON, streamed and count_tokens requests.
 */
class GatewayBodyBytesTest {
  private GatewayHarness h;

  @BeforeEach
  void start() {
    h = GatewayHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private static final Map<String, String> HEADERS =
      Map.of("x-api-key", GatewayHarness.TOKEN, "content-type", "application/json");

  /** Not what Vert.x would write: spaces, keys out of its order, 1.50 and an escaped é. */
  private static String body(String extra) {
    return "{ \"messages\" : [ {\"role\":\"user\", \"content\":\"caf\\u00e9 bytes\"} ],\n"
        + "  \"max_tokens\": 16, \"temperature\": 1.50,"
        + extra
        + " \"model\": \"claude-sonnet-4-6\" }";
  }

  private String upstreamBody(String path) {
    List<RecordedRequest> seen =
        h.sim.requests().stream().filter(r -> r.path().startsWith(path)).toList();
    assertEquals(1, seen.size(), "one upstream request to " + path + ": " + seen);
    return seen.get(0).body();
  }

  @Test
  void messageBytesGoUpstreamAsTheyCame() {
    String sent = body("");
    var reply = h.call(HttpMethod.POST, "/v1/messages", HEADERS, Buffer.buffer(sent));
    assertEquals(200, reply.status(), reply.body().toString());
    assertEquals(sent, upstreamBody("/v1/messages"));
  }

  @Test
  void streamedRequestBytesGoUpstreamAsTheyCame() {
    String sent = body(" \"stream\" : true,");
    var reply = h.call(HttpMethod.POST, "/v1/messages", HEADERS, Buffer.buffer(sent));
    assertEquals(200, reply.status(), reply.body().toString());
    assertTrue(reply.body().toString().contains("event: message_stop"), reply.body().toString());
    assertEquals(sent, upstreamBody("/v1/messages"));
  }

  @Test
  void countTokensBytesGoUpstreamAsTheyCame() {
    String sent =
        "{\"messages\":[{\"role\":\"user\",\"content\":\"caf\\u00e9\"}],  \"model\":\"claude-sonnet-4-6\"}";
    var reply = h.call(HttpMethod.POST, "/v1/messages/count_tokens", HEADERS, Buffer.buffer(sent));
    assertEquals(200, reply.status(), reply.body().toString());
    assertEquals(sent, upstreamBody("/v1/messages/count_tokens"));
  }
}
