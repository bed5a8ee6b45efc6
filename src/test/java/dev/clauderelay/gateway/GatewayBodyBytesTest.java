package dev.clauderelay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.sim.RecordedRequest;
import dev.clauderelay.sim.ScriptedResponse;
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
 * differ in each of these), for JSON, streamed and count_tokens requests. The other way, a streamed
 * answer's events reach the client as Anthropic wrote them.
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

  private static String event(String type, String data) {
    return "event: " + type + "\ndata: " + data + "\n\n";
  }

  @Test
  void streamedEventsReachTheClientAsUpstreamWroteThem() {
    // Spaces after colons and commas, an escaped é, 2.0: none of it as Vert.x would encode it.
    String start =
        event(
            "message_start",
            "{\"type\": \"message_start\", \"message\": {\"id\": \"msg_bytes\", \"type\":"
                + " \"message\", \"role\": \"assistant\", \"model\": \"claude-sonnet-4-6\","
                + " \"content\": [], \"stop_reason\": null, \"stop_sequence\": null, \"usage\":"
                + " {\"input_tokens\": 5, \"output_tokens\": 1}}}");
    String rest =
        event(
                "content_block_start",
                "{\"type\": \"content_block_start\", \"index\": 0, \"content_block\":"
                    + " {\"type\": \"text\", \"text\": \"\"}}")
            + event(
                "content_block_delta",
                "{\"type\": \"content_block_delta\", \"index\": 0, \"delta\": {\"type\":"
                    + " \"text_delta\", \"text\": \"caf\\u00e9\", \"weight\": 2.0}}")
            + event("content_block_stop", "{\"type\": \"content_block_stop\", \"index\": 0}")
            + event(
                "message_delta",
                "{\"type\": \"message_delta\", \"delta\": {\"stop_reason\": \"end_turn\","
                    + " \"stop_sequence\": null}, \"usage\": {\"output_tokens\": 2}}")
            + event("message_stop", "{\"type\": \"message_stop\"}");
    h.sim.enqueue(ScriptedResponse.sse(start + event("ping", "{\"type\": \"ping\"}") + rest));
    var reply =
        h.call(HttpMethod.POST, "/v1/messages", HEADERS, Buffer.buffer(body(" \"stream\": true,")));
    assertEquals(200, reply.status(), reply.body().toString());
    // The upstream's ping is the relay's to drop (it sends its own when a stream is quiet).
    assertEquals(start + rest, reply.body().toString());
  }
}
