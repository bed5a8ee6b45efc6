package dev.clauderelay.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits text fed in pieces into chunks of at most {@code maxChars} (UTF-16 units), at paragraph
 * boundaries: a blank line (only spaces or tabs between two line ends) ends a paragraph, and
 * consecutive paragraphs share a chunk, joined by one blank line, while they fit. A paragraph
 * longer than a chunk is cut at a sentence end, else a line end or other whitespace, else (text
 * with no whitespace at all) hard at the limit, never between the two halves of a surrogate pair.
 *
 * <p>Expects {@code \n} line ends ({@link TextDecoder} gives them). Whitespace at a chunk's edges
 * is dropped; everything else is kept in order, so the chunks' non-whitespace characters,
 * concatenated, are the input's. Memory: one chunk being filled plus the unfinished paragraph,
 * which is cut as soon as it exceeds a chunk, so at most about {@code 2 * maxChars} plus the last
 * piece fed.
 */
public final class TextChunker {
  private final int maxChars;
  private final Consumer<String> sink;
  private final StringBuilder buf = new StringBuilder();
  private final StringBuilder current = new StringBuilder();

  /** Start of the unfinished paragraph in {@code buf}. */
  private int pos;

  /** Next index of {@code buf} to look at. */
  private int scan;

  /** A line end after which only blanks followed: the start of a blank line, maybe. */
  private int openLineEnd = -1;

  /** Last non-whitespace character seen (index in {@code buf}). */
  private int lastNonWhitespace = -1;

  /** The unfinished paragraph was already cut: its rest starts at {@code pos}, untrimmed. */
  private boolean continuing;

  public TextChunker(int maxChars, Consumer<String> sink) {
    if (maxChars < 2) {
      throw new IllegalArgumentException("maxChars must be >= 2, got " + maxChars);
    }
    this.maxChars = maxChars;
    this.sink = sink;
  }

  /** All chunks of a whole text (tests, small inputs). */
  public static List<String> split(String text, int maxChars) {
    List<String> chunks = new ArrayList<>();
    TextChunker chunker = new TextChunker(maxChars, chunks::add);
    chunker.accept(text);
    chunker.finish();
    return chunks;
  }

  /**
   * More text. The chunks depend only on the text, not on how it is cut into pieces: a resumed job
   * must number its chunks as the first run did, whatever its reads returned.
   */
  public void accept(CharSequence text) {
    buf.append(text);
    for (; scan < buf.length(); scan++) {
      char c = buf.charAt(scan);
      if (c == '\n') {
        if (openLineEnd >= 0) {
          paragraph(pos, openLineEnd);
          pos = scan + 1;
          openLineEnd = -1;
        } else {
          openLineEnd = scan;
        }
      } else if (c != ' ' && c != '\t') {
        openLineEnd = -1;
      }
      if (!Character.isWhitespace(c)) {
        lastNonWhitespace = scan;
      }
    }
    cutLongParagraph();
    compact();
  }

  /** The end of input: the last paragraph and the last chunk. */
  public void finish() {
    paragraph(pos, buf.length());
    buf.setLength(0);
    pos = 0;
    scan = 0;
    openLineEnd = -1;
    lastNonWhitespace = -1;
    emitCurrent();
  }

  /**
   * Cuts the unfinished paragraph where {@link #paragraph} would cut it once complete, as soon as
   * that is certain (its text so far exceeds a chunk), so that it is never held whole.
   */
  private void cutLongParagraph() {
    if (lastNonWhitespace + 1 - pos <= maxChars) {
      return;
    }
    if (!continuing) {
      int first = pos;
      while (Character.isWhitespace(buf.charAt(first))) {
        first++;
      }
      int start = Math.max(pos, buf.lastIndexOf("\n", first) + 1);
      if (lastNonWhitespace + 1 - start <= maxChars) {
        return;
      }
      emitCurrent();
      pos = start;
      continuing = true;
    }
    while (lastNonWhitespace + 1 - pos > maxChars) {
      int cut = cutPoint(buf, pos, pos + maxChars);
      emit(buf.substring(pos, cut));
      pos = cut;
    }
  }

  private void paragraph(int from, int to) {
    boolean rest = continuing;
    continuing = false;
    String p =
        rest ? buf.substring(from, to).stripTrailing() : trimBlankLines(buf.substring(from, to));
    if (p.isEmpty()) {
      return;
    }
    if (rest || p.length() > maxChars) {
      emitCurrent();
      int off = 0;
      while (p.length() - off > maxChars) {
        int cut = cutPoint(p, off, off + maxChars);
        emit(p.substring(off, cut));
        off = cut;
      }
      current.append(p, off, p.length());
      return;
    }
    if (current.length() > 0 && current.length() + 2 + p.length() > maxChars) {
      emitCurrent();
    }
    if (current.length() > 0) {
      current.append("\n\n");
    }
    current.append(p);
  }

  private void emitCurrent() {
    if (current.length() > 0) {
      emit(current.toString());
      current.setLength(0);
    }
  }

  private void emit(String chunk) {
    String trimmed = chunk.strip();
    if (!trimmed.isEmpty()) {
      sink.accept(trimmed);
    }
  }

  /** Drops what was consumed, so {@code buf} never grows with the input. */
  private void compact() {
    if (pos == 0) {
      return;
    }
    buf.delete(0, pos);
    scan -= pos;
    lastNonWhitespace -= pos;
    if (openLineEnd >= 0) {
      openLineEnd -= pos;
    }
    pos = 0;
  }

  /**
   * Where to end a piece of {@code s} that starts at {@code from} and may reach {@code limit}
   * (exclusive, {@code limit < s.length()}): after the last sentence end in the second half, else
   * at the last line end in the second half, else at the last whitespace, else at the limit. Always
   * {@code > from}.
   */
  static int cutPoint(CharSequence s, int from, int limit) {
    int half = from + (limit - from) / 2;
    for (int i = limit; i > half; i--) {
      char before = s.charAt(i - 1);
      if (isFullStop(before) || (isSentenceEnd(before) && Character.isWhitespace(s.charAt(i)))) {
        return i;
      }
    }
    for (int i = limit; i > half; i--) {
      if (s.charAt(i) == '\n') {
        return i;
      }
    }
    for (int i = limit; i > from; i--) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    if (Character.isLowSurrogate(s.charAt(limit))
        && Character.isHighSurrogate(s.charAt(limit - 1))) {
      return limit - 1; // > from: a piece is at least 2 units long
    }
    return limit;
  }

  private static boolean isSentenceEnd(char c) {
    return c == '.' || c == '!' || c == '?' || c == '…';
  }

  /** CJK full stops end a sentence without a following space. */
  private static boolean isFullStop(char c) {
    return c == '。' || c == '！' || c == '？';
  }

  /** Strips blank lines and trailing whitespace, but keeps the indent of the first line. */
  private static String trimBlankLines(String s) {
    int first = 0;
    while (first < s.length() && Character.isWhitespace(s.charAt(first))) {
      first++;
    }
    if (first == s.length()) {
      return "";
    }
    int lineStart = s.lastIndexOf('\n', first) + 1;
    return s.substring(lineStart).stripTrailing();
  }
}
