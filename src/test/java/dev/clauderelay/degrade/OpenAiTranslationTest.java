package dev.clauderelay.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.api.Message;
import dev.clauderelay.api.MessageAccumulator;
import dev.clauderelay.api.StreamEvent;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiTranslationTest {
  @Test
  void requestWithSystemBlocksAndTextBlocks() {
    JsonObject anthropic =
        new JsonObject(
            """
            {"model":"claude-sonnet-4-5","max_tokens":300,"temperature":0.2,"top_p":0.8,"top_k":5,
             "stop_sequences":["END"],"stream":true,"metadata":{"user_id":"u"},
             "system":[{"type":"text","text":"Rule one."},{"type":"text","text":"Rule two.",
                        "cache_control":{"type":"ephemeral"}}],
             "messages":[
               {"role":"user","content":"Hi"},
               {"role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"s"},
                                              {"type":"text","text":"Hello."}]},
               {"role":"user","content":[{"type":"text","text":"Part A"},{"type":"text","text":"Part B"}]}]}
            """);
    JsonObject expected =
        new JsonObject(
            """
            {"model":"llama3.1:8b","messages":[
               {"role":"system","content":"Rule one.\\n\\nRule two."},
               {"role":"user","content":"Hi"},
               {"role":"assistant","content":"Hello."},
               {"role":"user","content":"Part A\\n\\nPart B"}],
             "max_tokens":300,"temperature":0.2,"top_p":0.8,"stop":["END"],
             "stream":true,"stream_options":{"include_usage":true}}
            """);
    assertEquals(expected, AnthropicToOpenAi.translate(anthropic, "llama3.1:8b"));
  }

  @Test
  void requestWithStringSystemNotStreamed() {
    JsonObject anthropic =
        new JsonObject(
            """
            {"model":"m","max_tokens":10,"system":"Be kind.",
             "messages":[{"role":"user","content":"Hi"}]}
            """);
    JsonObject out = AnthropicToOpenAi.translate(anthropic, "local");
    assertEquals(
        new JsonObject(
            """
            {"model":"local","messages":[{"role":"system","content":"Be kind."},
             {"role":"user","content":"Hi"}],"max_tokens":10,"stream":false}
            """),
        out);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{}}]}]}",
        "{\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"n\",\"input\":{}}]}]}",
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\"}]}]}",
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":{}}]}]}",
        "{\"messages\":[]}",
        "{\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}"
      })
  void requestsATextModelCannotTakeAreRefusedNotTrimmed(String json) {
    JsonObject request = new JsonObject(json);
    assertTrue(AnthropicToOpenAi.unsupportedReason(request).isPresent());
    assertThrows(IllegalArgumentException.class, () -> AnthropicToOpenAi.translate(request, "m"));
  }

  @Test
  void offeredButUnusedToolsDoNotPreventALocalAnswer() {
    JsonObject request =
        new JsonObject(
            "{\"tools\":[{\"name\":\"x\",\"input_schema\":{}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertFalse(AnthropicToOpenAi.unsupportedReason(request).isPresent());
    assertFalse(AnthropicToOpenAi.translate(request, "m").containsKey("tools"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      nullValues = "-",
      value = {
        "stop, end_turn",
        "length, max_tokens",
        "tool_calls, tool_use",
        "content_filter, refusal",
        "-, end_turn",
        "eos, end_turn"
      })
  void finishReasons(String finish, String stop) {
    assertEquals(stop, OpenAiToAnthropic.stopReason(finish));
  }

  @Test
  void completionToMessage() {
    JsonObject completion =
        new JsonObject(
            """
            {"id":"chatcmpl-1","object":"chat.completion","model":"llama3.1:8b",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Bonjour."},
                         "finish_reason":"length"}],
             "usage":{"prompt_tokens":21,"completion_tokens":7,"total_tokens":28}}
            """);
    Message m = OpenAiToAnthropic.message(completion, "claude-sonnet-4-5");
    assertTrue(m.id().startsWith("msg_local_"));
    assertEquals("message", m.type());
    assertEquals("assistant", m.role());
    assertEquals("claude-sonnet-4-5", m.model());
    assertEquals("Bonjour.", m.text());
    assertEquals("max_tokens", m.stopReason());
    assertEquals(21, m.usage().inputTokens());
    assertEquals(7, m.usage().outputTokens());
  }

  @Test
  void completionWithoutChoicesIsRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> OpenAiToAnthropic.message(new JsonObject().put("choices", List.of()), "m"));
  }

  @Test
  void streamChunksBecomeAValidAnthropicStream() {
    List<StreamEvent> events = new ArrayList<>();
    OpenAiStreamTranslator t = new OpenAiStreamTranslator("claude-x", events::add);
    t.data("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}");
    t.data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}");
    t.data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}");
    t.data("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
    t.data("{\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}");
    t.data("[DONE]");
    assertTrue(t.end());
    assertEquals(
        List.of(
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop"),
        events.stream().map(StreamEvent::type).toList());
    MessageAccumulator acc = new MessageAccumulator();
    events.forEach(acc::accept);
    Message m = acc.snapshot();
    assertTrue(acc.isComplete());
    assertEquals("Hello", m.text());
    assertEquals("end_turn", m.stopReason());
    assertEquals("claude-x", m.model());
    assertEquals(9, m.usage().inputTokens());
    assertEquals(2, m.usage().outputTokens());
  }

  @Test
  void aStreamCutBeforeItsEndIsNotComplete() {
    List<StreamEvent> events = new ArrayList<>();
    OpenAiStreamTranslator t = new OpenAiStreamTranslator("m", events::add);
    t.data("{\"choices\":[{\"delta\":{\"content\":\"Hal\"}}]}");
    assertFalse(t.end());
    assertFalse(events.stream().anyMatch(e -> e.type().equals("message_stop")));
  }

  @Test
  void aFinishReasonWithoutDoneStillEndsTheStream() {
    List<StreamEvent> events = new ArrayList<>();
    OpenAiStreamTranslator t = new OpenAiStreamTranslator("m", events::add);
    t.data("{\"choices\":[{\"delta\":{\"content\":\"x\"},\"finish_reason\":\"length\"}]}");
    assertTrue(t.end());
    assertEquals("message_stop", events.get(events.size() - 1).type());
  }

  @Test
  void anErrorChunkStopsTheStream() {
    OpenAiStreamTranslator t = new OpenAiStreamTranslator("m", e -> {});
    assertThrows(
        IllegalStateException.class, () -> t.data("{\"error\":{\"message\":\"model crashed\"}}"));
    assertThrows(IllegalStateException.class, () -> t.data("not json"));
  }
}
