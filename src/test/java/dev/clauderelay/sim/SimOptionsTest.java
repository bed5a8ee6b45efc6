package dev.clauderelay.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimOptionsTest {

  @Test
  void jsonRoundTripKeepsEveryOption() {
    SimOptions options =
        new SimOptions()
            .setHost("0.0.0.0")
            .setPort(9000)
            .setProfile(FaultProfile.MIDSTREAM_CUT)
            .setSeed(-5)
            .setLatencyMs(20)
            .setRequestsPerMinute(7)
            .setRateLimitWindowMs(1_000)
            .setTokensPerMinute(500)
            .setRequireAuth(false)
            .setAcceptedKeys(List.of("a", "b"))
            .setMaxTextTokens(10)
            .setStreamDeltaDelayMs(3)
            .setMaxBodyBytes(1024)
            .setMaxRecordedRequests(5);
    JsonObject json = options.toJson();
    assertEquals("midstream-cut", json.getString("profile"));
    assertEquals(options, new SimOptions(json));
    assertEquals(options, new SimOptions(options));
  }

  @Test
  void defaultsAreDocumentedValues() {
    SimOptions options = new SimOptions();
    assertEquals("127.0.0.1", options.getHost());
    assertEquals(0, options.getPort());
    assertEquals(FaultProfile.HEALTHY, options.getProfile());
    assertEquals(60, options.getRequestsPerMinute());
    assertTrue(options.isRequireAuth());
    assertTrue(options.getAcceptedKeys().isEmpty());
  }

  @Test
  void invalidValuesNameTheOptionAndTheRange() {
    IllegalArgumentException port =
        assertThrows(IllegalArgumentException.class, () -> new SimOptions().setPort(-1));
    assertTrue(port.getMessage().contains("port"));
    assertTrue(port.getMessage().contains("0 and 65535"));
    IllegalArgumentException latency =
        assertThrows(IllegalArgumentException.class, () -> new SimOptions().setLatencyMs(-3));
    assertTrue(latency.getMessage().contains("latencyMs"));
    assertThrows(IllegalArgumentException.class, () -> new SimOptions().setRequestsPerMinute(0));
    assertThrows(IllegalArgumentException.class, () -> new SimOptions().setMaxTextTokens(0));
    assertThrows(IllegalArgumentException.class, () -> new SimOptions().setHost(" "));
  }

  @Test
  void unknownOrMistypedJsonKeysAreErrors() {
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class, () -> new SimOptions(new JsonObject().put("prot", 1)));
    assertTrue(unknown.getMessage().contains("prot"));
    IllegalArgumentException mistyped =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SimOptions(new JsonObject().put("port", "eighty")));
    assertTrue(mistyped.getMessage().contains("port"));
    IllegalArgumentException profile =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SimOptions(new JsonObject().put("profile", "broken")));
    assertTrue(profile.getMessage().contains("midstream-cut"));
  }

  @Test
  void profilesParseCaseInsensitively() {
    assertEquals(FaultProfile.MIDSTREAM_CUT, FaultProfile.parse("Midstream-Cut"));
    assertEquals(FaultProfile.MIDSTREAM_CUT, FaultProfile.parse("MIDSTREAM_CUT"));
    assertEquals(FaultProfile.RATELIMITED, FaultProfile.parse("ratelimited"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FaultProfile.parse("nope"));
    assertTrue(
        e.getMessage().contains("healthy, flaky, overloaded, ratelimited, midstream-cut, stall"));
  }
}
