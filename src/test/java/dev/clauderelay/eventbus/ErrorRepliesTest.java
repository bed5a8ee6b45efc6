package dev.clauderelay.eventbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.api.ErrorBody;
import dev.clauderelay.api.Message;
import dev.clauderelay.api.error.ApiException;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.api.error.ConnectionException;
import dev.clauderelay.api.error.InvalidRequestException;
import dev.clauderelay.api.error.NoUsableRegionException;
import dev.clauderelay.api.error.StreamInterruptedException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status and error JSON each failure becomes, and the options' checks. */
class ErrorRepliesTest {
  private static ErrorReplies.Reply reply(Throwable t) {
    return ErrorReplies.of(t);
  }

  private static String type(ErrorReplies.Reply r) {
    return r.body().getJsonObject("error").getString("type");
  }

  @Test
  void localFailuresGetTheGatewaysStatuses() {
    assertEquals(400, reply(new InvalidRequestException("model: required")).status());
    assertEquals("invalid_request_error", type(reply(new InvalidRequestException("x"))));
    assertEquals(503, reply(new NoUsableRegionException("all open", -1)).status());
    ErrorReplies.Reply timeout =
        reply(new ClaudeTimeoutException(ClaudeTimeoutException.Phase.DEADLINE, "deadline"));
    assertEquals(504, timeout.status());
    assertEquals("timeout_error", type(timeout));
    ErrorReplies.Reply refused =
        reply(new ConnectionException(ConnectionException.Kind.REFUSED, "refused", null));
    assertEquals(502, refused.status());
    assertEquals("api_error", type(refused));
    assertEquals(500, reply(new IllegalStateException("bug")).status());
  }

  @Test
  void anUpstreamErrorBodyIsPassedOnAsItCame() {
    String body =
        "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\","
            + "\"details\":{\"x\":1}},\"request_id\":\"req_1\"}";
    ApiException e = ApiException.of(429, ErrorBody.parse(Buffer.buffer(body)), Map.of(), null);

    ErrorReplies.Reply r = reply(e);

    assertEquals(429, r.status());
    assertEquals(new JsonObject(body), r.body());
  }

  @Test
  void aNonJsonUpstreamBodyGetsTheTypeOfItsStatus() {
    ApiException e =
        ApiException.of(
            502, ErrorBody.parse(Buffer.buffer("<html>Bad gateway</html>")), Map.of(), null);

    ErrorReplies.Reply r = reply(e);

    assertEquals(502, r.status());
    assertEquals("api_error", type(r));
    assertTrue(r.body().getJsonObject("error").getString("message").contains("Bad gateway"));
  }

  @Test
  void anInterruptionKeepsTheUpstreamErrorEventAndThePartialMessage() {
    ApiException overloaded =
        ApiException.of(
            529,
            ErrorBody.parse(
                Buffer.buffer(
                    "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                        + "\"message\":\"Overloaded\"}}")),
            Map.of(),
            null);
    Message partial = new Message(new JsonObject().put("id", "msg_1").put("type", "message"));

    ErrorReplies.Reply r =
        reply(new StreamInterruptedException("error_event", partial, 7, "req_2", overloaded));

    assertEquals(529, r.status());
    assertEquals("overloaded_error", type(r));
    assertEquals("msg_1", r.partial().getString("id"));
  }

  @Test
  void optionsRefuseUnknownKeysAndOutOfRangeValues() {
    ClaudeVerticleOptions o = new ClaudeVerticleOptions(new JsonObject().put("ackTimeoutMs", 5));
    assertEquals(5, o.getAckTimeoutMs());
    assertEquals(ClaudeVerticleOptions.DEFAULT_CREDIT_TIMEOUT_MS, o.getCreditTimeoutMs());
    assertEquals(o.toJson(), new ClaudeVerticleOptions(o.toJson()).toJson());
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> new ClaudeVerticleOptions(new JsonObject().put("creditTimeout", 1)))
            .getMessage()
            .contains("creditTimeout"));
    assertThrows(
        IllegalArgumentException.class, () -> new ClaudeVerticleOptions().setCreditTimeoutMs(0));
  }
}
