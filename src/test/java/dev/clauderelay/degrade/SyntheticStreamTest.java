package dev.clauderelay.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.api.Message;
import dev.clauderelay.api.MessageAccumulator;
import dev.clauderelay.api.StreamEvent;
import dev.clauderelay.api.sse.SseDecoder;
import dev.clauderelay.api.sse.SseEncoder;
import dev.clauderelay.api.sse.SseFrame;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SyntheticStreamTest {
  static Stream<Message> messages() {
    Message noUsage = Messages.text("plain");
    noUsage.toJson().remove("usage");
    noUsage.toJson().remove("stop_sequence");
    Message stopSequence = Messages.text("until");
    stopSequence.toJson().put("stop_reason", "stop_sequence").put("stop_sequence", "END");
    Message empty = Messages.text("x");
    empty.toJson().getJsonArray("content").clear();
    return Stream.of(Messages.text("hello"), Messages.rich(), noUsage, stopSequence, empty);
  }

  @ParameterizedTest
  @MethodSource("messages")
  void accumulatingTheEventsGivesTheMessageBack(Message message) {
    MessageAccumulator acc = new MessageAccumulator();
    SyntheticStream.of(message).forEach(acc::accept);
    assertTrue(acc.isComplete());
    assertEquals(message.toJson(), acc.snapshot().toJson());
  }

  @ParameterizedTest
  @MethodSource("messages")
  void theSseTextDecodesToTheSameEventsAndMessage(Message message) {
    List<StreamEvent> events = SyntheticStream.of(message);
    Buffer wire = Buffer.buffer();
    events.forEach(e -> wire.appendBuffer(SseEncoder.encode(e)));

    List<SseFrame> frames = new ArrayList<>();
    SseDecoder decoder = new SseDecoder(frames::add, 1 << 20);
    // Fed one byte at a time: the frames must not depend on how the network splits them.
    for (byte b : wire.getBytes()) {
      decoder.feed(new byte[] {b});
    }
    assertFalse(decoder.finish(), "nothing left half-sent");
    assertEquals(events.size(), frames.size());

    MessageAccumulator acc = new MessageAccumulator();
    for (int i = 0; i < frames.size(); i++) {
      SseFrame frame = frames.get(i);
      JsonObject data = new JsonObject(frame.data());
      assertEquals(events.get(i).type(), frame.event());
      assertEquals(frame.event(), data.getString("type"), "data.type matches the event name");
      assertEquals(events.get(i).data(), data);
      acc.accept(new StreamEvent(frame.event(), data));
    }
    assertEquals(message.toJson(), acc.snapshot().toJson());
  }

  @Test
  void eventsFollowTheApiGrammar() {
    List<StreamEvent> events = SyntheticStream.of(Messages.rich());
    assertEquals("message_start", events.get(0).type());
    JsonObject start = events.get(0).data().getJsonObject("message");
    assertTrue(start.getJsonArray("content").isEmpty());
    assertEquals(null, start.getValue("stop_reason"));
    assertEquals("message_delta", events.get(events.size() - 2).type());
    assertEquals("message_stop", events.get(events.size() - 1).type());
    List<String> deltaTypes =
        events.stream()
            .filter(e -> e.type().equals("content_block_delta"))
            .map(e -> e.data().getJsonObject("delta").getString("type"))
            .toList();
    assertEquals(
        List.of(
            "thinking_delta",
            "signature_delta",
            "text_delta",
            "citations_delta",
            "input_json_delta",
            "input_json_delta",
            "input_json_delta"),
        deltaTypes);
  }

  @Test
  void encoderPutsTypeFirstOnOneDataLine() {
    String frame = SseEncoder.frame(new StreamEvent("ping", new JsonObject().put("note", "a\nb")));
    assertEquals("event: ping\ndata: {\"type\":\"ping\",\"note\":\"a\\nb\"}\n\n", frame);
    assertEquals(
        frame.getBytes(StandardCharsets.UTF_8).length,
        SseEncoder.encode(new StreamEvent("ping", new JsonObject().put("note", "a\nb"))).length());
  }

  @Test
  void listStreamHonoursDemand() {
    List<StreamEvent> events = SyntheticStream.of(Messages.text("demand"));
    ListEventStream stream = new ListEventStream(events);
    List<StreamEvent> seen = new ArrayList<>();
    boolean[] ended = {false};
    stream.handler(seen::add).endHandler(v -> ended[0] = true);
    assertTrue(seen.isEmpty(), "starts paused");
    stream.fetch(2);
    assertEquals(2, seen.size());
    stream.fetch(1);
    assertEquals(3, seen.size());
    assertFalse(ended[0]);
    stream.fetch(Long.MAX_VALUE);
    assertEquals(events, seen);
    assertTrue(ended[0]);
  }
}
