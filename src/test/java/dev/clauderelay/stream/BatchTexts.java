package dev.clauderelay.stream;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Generated input for large-text jobs: paragraphs of varied length (some longer than a chunk),
 * multibyte words, CRLF and LF line ends, a stretch without spaces now and then.
 */
final class BatchTexts {
  private static final String[] WORDS = {
    "the", "relay", "streams", "each", "chunk", "in", "order", "while", "backpressure", "reaches",
    "reader", "café", "naïve", "日本語", "résumé", "🚀", "Straße", "señor", "paragraph", "boundary",
    "model", "answer", "token", "checkpoint", "resume", "kill", "write", "queue", "drain", "file"
  };

  private BatchTexts() {}

  static String generate(Random random, int approxChars) {
    StringBuilder sb = new StringBuilder(approxChars + 1000);
    while (sb.length() < approxChars) {
      paragraph(random, sb);
      String lineEnd = random.nextInt(5) == 0 ? "\r\n" : "\n";
      sb.append(lineEnd).append(random.nextInt(8) == 0 ? "  \t" : "").append(lineEnd);
    }
    return sb.toString();
  }

  /** Writes about {@code bytes} of generated text to {@code file}, in pieces. */
  static void write(Path file, long seed, long bytes) throws IOException {
    Random random = new Random(seed);
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      long written = 0;
      while (written < bytes) {
        String piece = generate(random, 64 * 1024);
        out.write(piece);
        written += piece.getBytes(StandardCharsets.UTF_8).length;
      }
    }
  }

  private static void paragraph(Random random, StringBuilder sb) {
    int kind = random.nextInt(20);
    int sentences = kind == 0 ? 200 + random.nextInt(300) : 1 + random.nextInt(8);
    if (kind == 1) {
      // No whitespace at all, e.g. a base64 blob or a long URL.
      for (int i = 0; i < 500 + random.nextInt(4000); i++) {
        sb.append((char) ('a' + random.nextInt(26)));
      }
      return;
    }
    for (int s = 0; s < sentences; s++) {
      int words = 3 + random.nextInt(15);
      for (int w = 0; w < words; w++) {
        String word = WORDS[random.nextInt(WORDS.length)];
        sb.append(w == 0 && s == 0 ? "" : " ")
            .append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
      }
      sb.append(random.nextInt(3) == 0 ? ".\n" : ".");
    }
  }
}
