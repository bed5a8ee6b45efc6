package dev.clauderelay.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** What a relayed event's JSON text is, and what an event's equality looks at. */
class StreamEventTest {
  private static final JsonObject PING = new JsonObject().put("type", "ping");

  @Test
  void wireTextIsSentAsItCame() {
    assertEquals(
        "{\"type\": \"ping\"}", new StreamEvent("ping", PING, "{\"type\": \"ping\"}").json());
  }

  @Test
  void anEventBuiltHereIsEncoded() {
    assertEquals("{\"type\":\"ping\"}", new StreamEvent("ping", PING).json());
  }

  @Test
  void multiLineDataIsNotKeptAsWireText() {
    // Joined data lines cannot go out as one "data:" line: encoded instead.
    for (String wire : new String[] {"{\"type\":\n\"ping\"}", "{\"type\":\r\"ping\"}"}) {
      StreamEvent e = new StreamEvent("ping", PING, wire);
      assertNull(e.wire(), wire);
      assertEquals("{\"type\":\"ping\"}", e.json());
    }
  }

  @Test
  void equalityIgnoresTheWireText() {
    StreamEvent relayed = new StreamEvent("ping", PING, "{ \"type\" : \"ping\" }");
    StreamEvent built = new StreamEvent("ping", PING.copy());
    assertEquals(built, relayed);
    assertEquals(built.hashCode(), relayed.hashCode());
  }
}
