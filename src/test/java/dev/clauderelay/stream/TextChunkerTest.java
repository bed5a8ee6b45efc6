package dev.clauderelay.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The chunker and decoder by tables, then invariants over generated text cut at random. */
class TextChunkerTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("empty input", "", 100, List.of()),
        Arguments.of("only blank lines", "\n\n \n\t\n", 100, List.of()),
        Arguments.of("paragraphs share a chunk", "a\n\nb\n\nc", 100, List.of("a\n\nb\n\nc")),
        Arguments.of(
            "a paragraph that does not fit starts the next chunk",
            "aaaa\n\nbbbb\n\ncccc",
            10,
            List.of("aaaa\n\nbbbb", "cccc")),
        Arguments.of(
            "several blank lines are one boundary", "aa\n\n\n\nbb", 100, List.of("aa\n\nbb")),
        Arguments.of("a line of spaces and tabs is blank", "aa\n \t \nbb", 4, List.of("aa", "bb")),
        Arguments.of(
            "single line ends stay inside a paragraph",
            "one\ntwo\nthree",
            100,
            List.of("one\ntwo\nthree")),
        Arguments.of(
            "an oversize paragraph is cut after a sentence",
            "One two three. Four five six. Seven eight.",
            20,
            List.of("One two three.", "Four five six.", "Seven eight.")),
        Arguments.of(
            "without a sentence end it is cut at whitespace",
            "alpha beta gamma delta epsilon",
            12,
            List.of("alpha beta", "gamma delta", "epsilon")),
        Arguments.of(
            "without whitespace it is cut at the limit",
            "abcdefghij",
            4,
            List.of("abcd", "efgh", "ij")),
        Arguments.of(
            "a hard cut never splits a surrogate pair",
            "ab\uD83D\uDE80cd",
            3,
            List.of("ab", "\uD83D\uDE80c", "d")),
        Arguments.of(
            "CJK text is cut after a full stop",
            "日本語の文です。次の文です。最後。",
            9,
            List.of("日本語の文です。", "次の文です。最後。")),
        Arguments.of(
            "a chunk's edges are trimmed, inner indents kept",
            "\n\n    indented\n  more\n\n",
            100,
            List.of("indented\n  more")),
        Arguments.of(
            "the rest of an oversize paragraph joins the next one",
            "aaaa bbbb cccc\n\ndd",
            10,
            List.of("aaaa bbbb", "cccc\n\ndd")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void splits(String name, String text, int max, List<String> expected) {
    assertEquals(expected, TextChunker.split(text, max));
  }

  static Stream<Arguments> decoded() {
    return Stream.of(
        Arguments.of("CRLF", "a\r\n\r\nb\r\nc", 4, List.of("a", "b\nc")),
        Arguments.of("lone CR", "a\r\rb", 3, List.of("a", "b")),
        Arguments.of("mixed line ends", "a\r\n\nb\n\r\nc", 3, List.of("a", "b", "c")),
        Arguments.of("a BOM is dropped", "\uFEFFa\n\nb", 3, List.of("a", "b")),
        Arguments.of(
            "multibyte text", "café ☕\n\n日本\n\n🚀 go", 8, List.of("café ☕", "日本", "🚀 go")));
  }

  /** Every byte position as the boundary between two reads gives the same chunks. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("decoded")
  void decodesBytesSplitAnywhere(String name, String text, int max, List<String> expected) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= bytes.length; cut++) {
      List<String> chunks = new ArrayList<>();
      TextDecoder decoder = new TextDecoder();
      TextChunker chunker = new TextChunker(max, chunks::add);
      chunker.accept(decoder.decode(Buffer.buffer().appendBytes(bytes, 0, cut)));
      chunker.accept(decoder.decode(Buffer.buffer().appendBytes(bytes, cut, bytes.length - cut)));
      chunker.accept(decoder.finish());
      chunker.finish();
      assertEquals(expected, chunks, "cut at byte " + cut);
    }
  }

  @Test
  void malformedBytesBecomeReplacementCharacters() {
    TextDecoder decoder = new TextDecoder();
    String text =
        decoder.decode(Buffer.buffer(new byte[] {'a', (byte) 0xFF, 'b', (byte) 0xE6, (byte) 0x97}))
            + decoder.finish();
    assertEquals("a\uFFFDb\uFFFD", text);
  }

  /**
   * Generated text with long and short paragraphs, CRLF, multibyte and text without spaces, fed as
   * UTF-8 in random pieces: the chunks are those of the whole text, none exceeds the limit, none
   * splits a surrogate pair, and the non-whitespace characters are the input's, in order.
   */
  @Test
  void randomPiecesGiveTheSameBoundedLosslessChunks() {
    Random random = new Random(42);
    for (int round = 0; round < 15; round++) {
      String text = BatchTexts.generate(random, 10_000 + random.nextInt(30_000));
      int max = 100 + random.nextInt(3000);
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      List<String> chunks = new ArrayList<>();
      TextDecoder decoder = new TextDecoder();
      TextChunker chunker = new TextChunker(max, chunks::add);
      int pos = 0;
      while (pos < bytes.length) {
        int n = Math.min(bytes.length - pos, 1 + random.nextInt(2 * max));
        chunker.accept(decoder.decode(Buffer.buffer().appendBytes(bytes, pos, n)));
        pos += n;
      }
      chunker.accept(decoder.finish());
      chunker.finish();

      String normalized = text.replace("\r\n", "\n").replace('\r', '\n');
      assertEquals(TextChunker.split(normalized, max), chunks, "round " + round);
      StringBuilder joined = new StringBuilder();
      for (String chunk : chunks) {
        assertTrue(chunk.length() <= max, "chunk of " + chunk.length() + " > " + max);
        assertFalse(chunk.isBlank());
        assertFalse(Character.isLowSurrogate(chunk.charAt(0)), "starts inside a pair");
        assertFalse(
            Character.isHighSurrogate(chunk.charAt(chunk.length() - 1)), "ends inside a pair");
        joined.append(chunk);
      }
      assertEquals(nonWhitespace(normalized), nonWhitespace(joined.toString()), "round " + round);
    }
  }

  private static String nonWhitespace(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().filter(c -> !Character.isWhitespace(c)).forEach(sb::appendCodePoint);
    return sb.toString();
  }
}
