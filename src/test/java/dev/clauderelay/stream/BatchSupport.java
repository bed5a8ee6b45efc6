package dev.clauderelay.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clauderelay.api.Message;
import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Inputs, expected chunks and output checks shared by the large-text job tests. */
final class BatchSupport {
  static final String PROMPT = "Summarise this passage in one sentence.";

  private BatchSupport() {}

  static Path input(Path dir, long bytes, long seed) {
    Path file = dir.resolve("input-" + seed + ".txt");
    try {
      BatchTexts.write(file, seed, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** The chunks the job must produce, decoded and split as the job does. */
  static List<String> chunks(Path input, int chunkChars) {
    try {
      TextDecoder decoder = new TextDecoder();
      String text = decoder.decode(Buffer.buffer(Files.readAllBytes(input))) + decoder.finish();
      return TextChunker.split(text, chunkChars);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static LargeTextJobOptions options(Path input, Path out) {
    return new LargeTextJobOptions()
        .setInput(input)
        .setOutput(out)
        .setPrompt(PROMPT)
        .setProgress(LargeTextJobOptions.Progress.NONE);
  }

  static List<JsonObject> lines(Path out) {
    try {
      List<JsonObject> lines = new ArrayList<>();
      for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
        lines.add(new JsonObject(line));
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Checkpoint lines after the header (records and the end mark). */
  static long checkpointRecords(Path checkpoint) {
    try {
      if (!Files.exists(checkpoint)) {
        return 0;
      }
      byte[] bytes = Files.readAllBytes(checkpoint);
      long newlines = 0;
      for (byte b : bytes) {
        if (b == '\n') {
          newlines++;
        }
      }
      return Math.max(0, newlines - 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Line i is chunk i, each chunk exactly once, answered, with the text the simulator gives that
   * chunk's request (deterministic per request: asked again without streaming, it answers the
   * same), so an answer in the wrong line cannot pass.
   */
  static void assertAnsweredInOrder(
      ClaudeClient client, LargeTextJobOptions options, List<String> chunks, Path out) {
    List<JsonObject> lines = lines(out);
    assertEquals(chunks.size(), lines.size(), "one line per chunk");
    List<Future<Message>> expected = new ArrayList<>();
    for (int i = 0; i < chunks.size(); i++) {
      assertEquals(i, lines.get(i).getLong("chunk"), "line " + i);
      assertNull(lines.get(i).getValue("error"), "line " + i + " failed: " + lines.get(i));
      assertNotNull(lines.get(i).getString("request_id"), "line " + i);
      expected.add(client.messages(ChunkCall.request(options, chunks.get(i))));
    }
    Await.result(Future.join(expected));
    for (int i = 0; i < chunks.size(); i++) {
      assertEquals(
          expected.get(i).result().text(), lines.get(i).getString("text"), "text of chunk " + i);
      assertEquals(
          expected.get(i).result().usage().outputTokens(),
          lines.get(i).getJsonObject("usage").getLong("output_tokens"));
    }
  }

  /** A config file for the CLI: one region on the simulator, no pacing in the way, fast retries. */
  static Path config(Path dir, String baseUrl) {
    String yaml =
        "regions:\n"
            + "  - name: sim\n"
            + "    baseUrl: \""
            + baseUrl
            + "\"\n"
            + "    apiKeys: [\"test-key\"]\n"
            + "retry: { maxRetries: 2, initialBackoffMs: 1, maxBackoffMs: 10 }\n"
            + "rateLimit: { requestsPerMinute: 1000000 }\n";
    Path file = dir.resolve("config.yaml");
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
