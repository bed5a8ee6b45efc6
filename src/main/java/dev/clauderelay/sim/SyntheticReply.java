package dev.clauderelay.sim;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The generated answer to one request: deterministic for (seed, request), one word per output
 * token.
 *
 * <p>A full answer is {@code maxTextTokens} words long (a simulator option, so a huge {@code
 * max_tokens} does not produce megabytes unless asked). When the request's {@code max_tokens} is
 * smaller, the answer is cut to {@code max_tokens} words and stops with {@code max_tokens};
 * otherwise it stops with {@code end_turn}. {@code stream} does not enter the seed, so the streamed
 * and the plain answer to the same request carry the same text.
 *
 * @param text the whole answer
 * @param deltas the text split into stream chunks of 1–4 words; their concatenation is {@code text}
 * @param outputTokens number of words
 * @param stopReason {@code end_turn} or {@code max_tokens}
 */
record SyntheticReply(String text, List<String> deltas, int outputTokens, String stopReason) {

  private static final String[] WORDS = {
    "the",
    "region",
    "answered",
    "within",
    "its",
    "budget",
    "while",
    "a",
    "retry",
    "waited",
    "on",
    "timer",
    "event",
    "loop",
    "stayed",
    "free",
    "because",
    "nothing",
    "blocked",
    "it",
    "stream",
    "carried",
    "each",
    "delta",
    "in",
    "order",
    "breaker",
    "closed",
    "again",
    "after",
    "probe",
    "succeeded",
    "latency",
    "fell",
    "below",
    "threshold",
    "so",
    "router",
    "preferred",
    "this",
    "path",
    "cache",
    "kept",
    "fresh",
    "copy",
    "for",
    "next",
    "caller",
    "request",
    "reached",
    "gateway",
    "with",
    "valid",
    "key",
    "and",
    "backoff",
    "grew",
    "until",
    "reset",
    "header",
    "said",
    "when",
    "capacity",
    "returned",
    "quietly",
    "every",
    "token",
    "counted"
  };

  static SyntheticReply generate(long seed, JsonObject request, int maxTextTokens) {
    long maxTokens = request.getLong("max_tokens", (long) maxTextTokens);
    int words = (int) Math.min(maxTokens, maxTextTokens);
    String stopReason = maxTokens < maxTextTokens ? "max_tokens" : "end_turn";
    JsonObject key = request.copy();
    key.remove("stream");
    SplittableRandom random = new SplittableRandom(seed ^ fnv1a64(key.encode()));

    StringBuilder text = new StringBuilder(words * 8);
    List<String> deltas = new ArrayList<>();
    StringBuilder delta = new StringBuilder();
    int deltaLeft = 1 + random.nextInt(4);
    int sentenceLeft = 6 + random.nextInt(9);
    boolean sentenceStart = true;
    for (int i = 0; i < words; i++) {
      String word = WORDS[random.nextInt(WORDS.length)];
      if (sentenceStart) {
        word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
      }
      sentenceStart = --sentenceLeft == 0 || i == words - 1;
      if (sentenceStart) {
        word = word + ".";
        sentenceLeft = 6 + random.nextInt(9);
      }
      String piece = i == 0 ? word : " " + word;
      text.append(piece);
      delta.append(piece);
      if (--deltaLeft == 0) {
        deltas.add(delta.toString());
        delta.setLength(0);
        deltaLeft = 1 + random.nextInt(4);
      }
    }
    if (delta.length() > 0) {
      deltas.add(delta.toString());
    }
    return new SyntheticReply(text.toString(), List.copyOf(deltas), words, stopReason);
  }

  /**
   * Input tokens estimated as characters / 4 (rounded up, at least 1) over what a model reads:
   * system prompt, messages and tools. The same for /v1/messages and /v1/messages/count_tokens.
   */
  static int estimateInputTokens(JsonObject request) {
    long chars = 0;
    for (String field : new String[] {"system", "messages", "tools"}) {
      Object value = request.getValue(field);
      if (value instanceof String s) {
        chars += s.length();
      } else if (value != null) {
        chars += Json.encode(value).length();
      }
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (chars + 3) / 4));
  }

  private static long fnv1a64(String s) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}
