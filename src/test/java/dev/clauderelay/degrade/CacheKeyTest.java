package dev.clauderelay.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CacheKeyTest {
  private static final String BASE =
      """
      {"model":"claude-sonnet-4-5","max_tokens":256,"temperature":0,
       "system":[{"type":"text","text":"Be brief."}],
       "messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]},
                   {"role":"assistant","content":"Hello"},
                   {"role":"user","content":"Weather?"}],
       "tools":[{"name":"weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
       "tool_choice":{"type":"auto"},"stop_sequences":["END","STOP"],"top_p":0.9,"top_k":40}
      """;

  static Stream<Arguments> sameKey() {
    return Stream.of(
        Arguments.of(
            "top-level field order",
            """
            {"top_k":40,"top_p":0.9,"stop_sequences":["END","STOP"],"tool_choice":{"type":"auto"},
             "tools":[{"input_schema":{"properties":{"city":{"type":"string"}},"type":"object"},"name":"weather"}],
             "messages":[{"content":[{"text":"Hi","type":"text"}],"role":"user"},
                         {"content":"Hello","role":"assistant"},{"content":"Weather?","role":"user"}],
             "system":[{"text":"Be brief.","type":"text"}],"temperature":0,"max_tokens":256,
             "model":"claude-sonnet-4-5"}
            """),
        Arguments.of("stream flag ignored", with("stream", true)),
        Arguments.of("metadata ignored", with("metadata", new JsonObject().put("user_id", "u-1"))),
        Arguments.of("service tier ignored", with("service_tier", "standard_only")),
        Arguments.of("0.0 is 0", with("temperature", 0.0)),
        Arguments.of("256.0 is 256", with("max_tokens", 256.0)),
        Arguments.of("0.90 is 0.9", with("top_p", new java.math.BigDecimal("0.90"))));
  }

  static Stream<Arguments> otherKey() {
    return Stream.of(
        Arguments.of("model", with("model", "claude-opus-4-1")),
        Arguments.of("temperature", with("temperature", 0.5)),
        Arguments.of("max_tokens", with("max_tokens", 257)),
        Arguments.of("top_k", with("top_k", 41)),
        Arguments.of("system", with("system", "Be brief.")),
        Arguments.of(
            "stop sequence order",
            with("stop_sequences", new io.vertx.core.json.JsonArray().add("STOP").add("END"))),
        Arguments.of("tool_choice", with("tool_choice", new JsonObject().put("type", "any"))),
        Arguments.of(
            "thinking",
            with("thinking", new JsonObject().put("type", "enabled").put("budget_tokens", 1024))),
        Arguments.of(
            "a field the API adds later",
            with("output_config", new JsonObject().put("effort", "low"))),
        Arguments.of("message order", swapFirstTwoMessages()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sameKey")
  void equivalentRequestsShareAKey(String name, String json) {
    assertEquals(CacheKey.of(new JsonObject(BASE)), CacheKey.of(new JsonObject(json)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("otherKey")
  void aChangeThatMattersChangesTheKey(String name, String json) {
    assertNotEquals(CacheKey.of(new JsonObject(BASE)), CacheKey.of(new JsonObject(json)));
  }

  @Test
  void keyIsSha256HexAndStable() {
    CacheKey key = CacheKey.of(new JsonObject(BASE));
    assertEquals(64, key.sha256().length());
    assertEquals(key, CacheKey.of(new JsonObject(BASE)));
  }

  @Test
  void canonicalJsonSortsNestedKeysAndKeepsArrayOrder() {
    JsonObject o =
        new JsonObject("{\"b\":{\"z\":1,\"a\":[3,{\"y\":\"\\n\",\"x\":null}]},\"a\":true}");
    assertEquals(
        "{\"a\":true,\"b\":{\"a\":[3,{\"x\":null,\"y\":\"\\n\"}],\"z\":1}}",
        CanonicalJson.encode(o));
  }

  private static String with(String field, Object value) {
    return new JsonObject(BASE).put(field, value).encode();
  }

  private static String swapFirstTwoMessages() {
    JsonObject o = new JsonObject(BASE);
    var messages = o.getJsonArray("messages");
    Object first = messages.getValue(0);
    messages.set(0, messages.getValue(1));
    messages.set(1, first);
    return o.encode();
  }
}
