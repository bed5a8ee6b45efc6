package dev.clauderelay.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.clauderelay.api.Message;
import dev.clauderelay.api.StreamEvent;
import dev.clauderelay.api.error.StreamInterruptedException;
import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.client.MessageStream;
import dev.clauderelay.sim.RecordedRequest;
import dev.clauderelay.sim.ScriptedResponse;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.BlockedThreadWatch;
import dev.clauderelay.testing.Fixtures;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code stream.resume}: a cut inside text is continued and spliced into one stream. */
class StreamResumeTest {
  private static final String CONTINUATION =
      "event: message_start\n"
          + "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_cont\",\"type\":\"message\","
          + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\",\"content\":[],\"stop_reason\":null,"
          + "\"usage\":{\"input_tokens\":1230,\"output_tokens\":1}}}\n\n"
          + "event: content_block_start\n"
          + "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
          + "event: content_block_delta\n"
          + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" and"
          + " copy them\"}}\n\n"
          + "event: content_block_delta\n"
          + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" to the"
          + " new one.\"}}\n\n"
          + "event: content_block_stop\n"
          + "data: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
          + "event: message_delta\n"
          + "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
          + "\"usage\":{\"output_tokens\":9}}\n\n"
          + "event: message_stop\n"
          + "data: {\"type\":\"message_stop\"}\n\n";

  private BlockedThreadWatch watch;
  private Vertx vertx;
  private SimulatedAnthropic sim;
  private ClaudeClient client;

  @BeforeEach
  void start() {
    watch = new BlockedThreadWatch(200);
    vertx = watch.vertx();
    sim = Await.result(SimulatedAnthropic.start(vertx, new SimOptions().setPort(0)));
    client =
        ClaudeClient.create(
            vertx,
            new ClaudeClientOptions()
                .setBaseUrl(sim.baseUrl())
                .setApiKey("k")
                .setInitialBackoffMs(5)
                .setMaxBackoffMs(10)
                .setStreamResume(true));
  }

  @AfterEach
  void stop() {
    Await.result(client.close());
    Await.result(sim.close());
    List<String> blocked = watch.warnings();
    watch.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  private static String cutAfter(String fixture, String marker) {
    String text = Fixtures.sse(fixture);
    return text.substring(0, text.indexOf(marker));
  }

  @Test
  void aCutInsideTextIsContinuedAndSplicedIntoOneStream() {
    sim.enqueue(
        ScriptedResponse.sseThenCut(cutAfter("stream-error-midstream.sse", "event: error")),
        ScriptedResponse.sse(CONTINUATION));
    MessageStream stream = client.stream(StreamingTest.request());

    List<StreamEvent> events = Await.result(StreamingTest.collect(stream).future());
    Message message = Await.result(stream.message());

    String full =
        "Here is the migration plan:\n\n1. Freeze writes to the legacy table and copy them to the"
            + " new one.";
    assertEquals(full, message.text());
    String streamed =
        events.stream()
            .filter(e -> e.type().equals("content_block_delta"))
            .map(e -> e.data().getJsonObject("delta").getString("text"))
            .collect(Collectors.joining());
    assertEquals(full, streamed, "no text duplicated or missing");
    assertEquals(1, count(events, "message_start"));
    assertEquals(1, count(events, "content_block_start"));
    assertEquals(1, count(events, "message_stop"));
    assertEquals(
        0,
        events.stream()
            .filter(e -> e.data().containsKey("index"))
            .mapToInt(e -> e.data().getInteger("index"))
            .max()
            .orElse(0));
    assertEquals("end_turn", message.stopReason());
    // Usage is what both calls cost: the first stream's 1 output token plus the continuation's 9.
    assertEquals(10, message.usage().outputTokens());
    assertEquals(1204 + 1230, message.usage().inputTokens());

    List<RecordedRequest> requests = sim.requests();
    assertEquals(2, requests.size());
    JsonArray messages = requests.get(1).bodyJson().getJsonArray("messages");
    JsonObject prefill = messages.getJsonObject(messages.size() - 1);
    assertEquals("assistant", prefill.getString("role"));
    assertEquals(
        "Here is the migration plan:\n\n1. Freeze writes to the legacy table",
        prefill.getString("content"));
  }

  @Test
  void trailingWhitespaceCutFromThePrefillIsNotRepeated() {
    String cut =
        cutAfter(
            "stream-text.sse",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" block");
    // The cut stream ends with "…so never" + a delta " " (whitespace only).
    cut +=
        "event: content_block_delta\n"
            + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" \"}}\n\n";
    sim.enqueue(ScriptedResponse.sseThenCut(cut), ScriptedResponse.sse(CONTINUATION));
    MessageStream stream = client.stream(StreamingTest.request());
    Await.result(StreamingTest.collect(stream).future());
    String text = Await.result(stream.message()).text();
    assertEquals(
        "Vert.x runs handlers on an event loop, so never and copy them to the new one.", text);
    String prefill =
        sim.requests()
            .get(1)
            .bodyJson()
            .getJsonArray("messages")
            .getJsonObject(1)
            .getString("content");
    assertEquals("Vert.x runs handlers on an event loop, so never", prefill);
  }

  @Test
  void aCutInsideToolUseIsNotResumed() {
    sim.enqueue(
        ScriptedResponse.sseThenCut(cutBeforeEventWith("stream-tool-use.sse", "492")),
        ScriptedResponse.sse(CONTINUATION));
    Throwable failure =
        Await.failure(StreamingTest.collect(client.stream(StreamingTest.request())).future());
    assertInstanceOf(StreamInterruptedException.class, failure);
    assertEquals(1, sim.requestCount("/v1/messages"));
  }

  /** The stream up to (not including) the event whose data contains {@code marker}. */
  private static String cutBeforeEventWith(String fixture, String marker) {
    String text = Fixtures.sse(fixture);
    return text.substring(0, text.lastIndexOf("event:", text.indexOf(marker)));
  }

  private static long count(List<StreamEvent> events, String type) {
    return events.stream().filter(e -> e.type().equals(type)).count();
  }
}
