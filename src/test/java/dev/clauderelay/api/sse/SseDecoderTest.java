package dev.clauderelay.api.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SseDecoderTest {
  static final Path FIXTURES = Fixtures.SSE;

  static List<SseFrame> decode(String... chunks) {
    List<SseFrame> out = new ArrayList<>();
    SseDecoder decoder = new SseDecoder(out::add, 1 << 20);
    for (String chunk : chunks) {
      decoder.feed(chunk.getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  static SseFrame f(String event, String data) {
    return new SseFrame(event, data, null);
  }

  static Stream<Arguments> specCases() {
    return Stream.of(
        Arguments.of("LF", List.of("event: a\ndata: 1\n\n"), List.of(f("a", "1"))),
        Arguments.of("CRLF", List.of("event: a\r\ndata: 1\r\n\r\n"), List.of(f("a", "1"))),
        Arguments.of("CR", List.of("event: a\rdata: 1\r\r"), List.of(f("a", "1"))),
        Arguments.of(
            "CR | LF split", List.of("data: 1\r", "\n\r", "\n"), List.of(f("message", "1"))),
        Arguments.of(
            "several data lines joined by LF",
            List.of("data: a\ndata: b\ndata:\n\n"),
            List.of(f("message", "a\nb\n"))),
        Arguments.of("no space after colon", List.of("event:x\ndata:1\n\n"), List.of(f("x", "1"))),
        Arguments.of(
            "only one space removed",
            List.of("data:  padded \n\n"),
            List.of(f("message", " padded "))),
        Arguments.of(
            "comments ignored", List.of(": ping\ndata: 1\n: x\n\n"), List.of(f("message", "1"))),
        Arguments.of("no data, no event", List.of("event: a\n\n"), List.of()),
        Arguments.of(
            "event type resets",
            List.of("event: a\ndata: 1\n\ndata: 2\n\n"),
            List.of(f("a", "1"), f("message", "2"))),
        Arguments.of("field without colon", List.of("data\n\n"), List.of(f("message", ""))),
        Arguments.of(
            "unknown field ignored",
            List.of("retry: 10\nfoo: bar\ndata: 1\n\n"),
            List.of(f("message", "1"))),
        Arguments.of("BOM", List.of("\uFEFFevent: a\ndata: 1\n\n"), List.of(f("a", "1"))),
        Arguments.of(
            "BOM split",
            List.of("\uFEFF".substring(0, 1), "data: 1\n\n"),
            List.of(f("message", "1"))),
        Arguments.of("unterminated event dropped", List.of("data: 1\n"), List.of()),
        Arguments.of(
            "byte by byte",
            List.of("e", "v", "ent: a\nd", "ata: 1", "\n", "\n"),
            List.of(f("a", "1"))),
        Arguments.of(
            "multi-byte UTF-8",
            List.of("data: héllo ✓ 日本\n\n"),
            List.of(f("message", "héllo ✓ 日本"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specCases")
  void specTable(String name, List<String> chunks, List<SseFrame> expected) {
    assertEquals(expected, decode(chunks.toArray(String[]::new)));
  }

  @Test
  void idIsKeptAcrossEvents() {
    List<SseFrame> frames = decode("id: 7\ndata: a\n\ndata: b\n\n");
    assertEquals("7", frames.get(0).id());
    assertEquals("7", frames.get(1).id());
  }

  @Test
  void utf8SplitInsideACharacter() {
    byte[] bytes = "data: ✓\n\n".getBytes(StandardCharsets.UTF_8);
    List<SseFrame> out = new ArrayList<>();
    SseDecoder decoder = new SseDecoder(out::add, 1024);
    decoder.feed(Arrays.copyOfRange(bytes, 0, 7));
    decoder.feed(Arrays.copyOfRange(bytes, 7, bytes.length));
    assertEquals(List.of(f("message", "✓")), out);
  }

  @Test
  void finishReportsACutInsideAnEvent() {
    List<SseFrame> out = new ArrayList<>();
    SseDecoder decoder = new SseDecoder(out::add, 1024);
    decoder.feed("data: 1\n\ndata: par".getBytes(StandardCharsets.UTF_8));
    assertTrue(decoder.finish());
    SseDecoder clean = new SseDecoder(out::add, 1024);
    clean.feed("data: 1\n\n".getBytes(StandardCharsets.UTF_8));
    assertFalse(clean.finish());
  }

  @Test
  void anEventPastTheBoundIsRefused() {
    SseDecoder decoder = new SseDecoder(frame -> {}, 64);
    byte[] big = ("data: " + "x".repeat(100) + "\n\n").getBytes(StandardCharsets.UTF_8);
    assertThrows(SseTooLargeException.class, () -> decoder.feed(big));
  }

  static Stream<Path> fixtures() throws IOException {
    try (Stream<Path> files = Files.list(FIXTURES)) {
      return files.filter(p -> p.toString().endsWith(".sse")).sorted().toList().stream();
    }
  }

  /** Property: every fixture, cut into random chunks (and with any line ending), decodes alike. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void fixturesDecodeTheSameWhateverTheChunking(Path fixture) throws IOException {
    byte[] whole = Files.readAllBytes(fixture);
    List<SseFrame> expected = new ArrayList<>();
    new SseDecoder(expected::add, 1 << 20).feed(whole);
    assertFalse(expected.isEmpty(), "fixture has events");
    String text = new String(whole, StandardCharsets.UTF_8);
    Random random = new Random(fixture.getFileName().toString().hashCode());
    for (String ending : List.of("\n", "\r\n", "\r")) {
      byte[] bytes = text.replace("\n", ending).getBytes(StandardCharsets.UTF_8);
      for (int trial = 0; trial < 200; trial++) {
        List<SseFrame> actual = new ArrayList<>();
        SseDecoder decoder = new SseDecoder(actual::add, 1 << 20);
        int pos = 0;
        while (pos < bytes.length) {
          int size = 1 + random.nextInt(trial % 2 == 0 ? 8 : 300);
          int end = Math.min(bytes.length, pos + size);
          decoder.feed(Arrays.copyOfRange(bytes, pos, end));
          pos = end;
        }
        assertEquals(expected, actual, "trial " + trial + " with ending " + ending.length());
      }
    }
  }
}
