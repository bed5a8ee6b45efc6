package dev.clauderelay.stream;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The first line of a checkpoint: what decides the chunks and their answers. A run resumes an
 * output only when these are the same, since the same chunk number must mean the same text asked
 * the same way (the prompt is kept as a hash: it may be long or private).
 */
record CheckpointHeader(
    String input,
    long inputBytes,
    int chunkChars,
    String promptSha256,
    String model,
    int maxTokens) {
  static final int VERSION = 1;

  static CheckpointHeader of(LargeTextJobOptions options, long inputBytes) {
    return new CheckpointHeader(
        options.getInput().toAbsolutePath().normalize().toString(),
        inputBytes,
        options.getChunkChars(),
        sha256(options.getPrompt()),
        options.getModel(),
        options.getMaxTokens());
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("checkpoint", VERSION)
        .put("input", input)
        .put("inputBytes", inputBytes)
        .put("chunkChars", chunkChars)
        .put("promptSha256", promptSha256)
        .put("model", model)
        .put("maxTokens", maxTokens);
  }

  /** What differs from a header read back, one phrase per field; empty when they match. */
  List<String> differences(JsonObject stored) {
    List<String> out = new ArrayList<>();
    if (!Integer.valueOf(VERSION).equals(stored.getValue("checkpoint"))) {
      out.add("checkpoint version " + stored.getValue("checkpoint") + " (this build writes 1)");
      return out;
    }
    JsonObject mine = toJson();
    for (String key : mine.fieldNames()) {
      Object theirs = stored.getValue(key);
      Object ours = mine.getValue(key);
      boolean same =
          theirs instanceof Number a && ours instanceof Number b
              ? a.longValue() == b.longValue()
              : ours.equals(theirs);
      if (!same) {
        out.add(
            key.equals("promptSha256")
                ? "the prompt"
                : key + " (was " + theirs + ", now " + ours + ")");
      }
    }
    return out;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
