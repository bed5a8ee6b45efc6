package dev.clauderelay.stream;

import static dev.clauderelay.stream.BatchSupport.assertAnsweredInOrder;
import static dev.clauderelay.stream.BatchSupport.chunks;
import static dev.clauderelay.stream.BatchSupport.input;
import static dev.clauderelay.stream.BatchSupport.lines;
import static dev.clauderelay.stream.BatchSupport.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.sim.ScriptedResponse;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.BlockedThreadWatch;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Large-text jobs against the simulator on a real socket, in this JVM. */
class LargeTextJobTest {
  @TempDir Path dir;

  private BlockedThreadWatch watch;
  private Vertx vertx;
  private SimulatedAnthropic sim;
  private ClaudeClient client;

  @BeforeEach
  void start() {
    // Generous: this is about blocking I/O on the loop, not the hiccups of a loaded 2-core host.
    watch = new BlockedThreadWatch(1000);
    vertx = watch.vertx();
    sim =
        Await.result(
            SimulatedAnthropic.start(
                vertx, new SimOptions().setPort(0).setMaxTextTokens(12).setRequireAuth(false)));
    client =
        ClaudeClient.create(
            vertx,
            new ClaudeClientOptions()
                .setBaseUrl(sim.baseUrl())
                .setApiKey("k")
                .setMaxRetries(2)
                .setInitialBackoffMs(1)
                .setMaxBackoffMs(5));
  }

  @AfterEach
  void stop() {
    Await.result(client.close());
    Await.result(sim.close());
    List<String> blocked = watch.warnings();
    watch.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  private JobReport run(LargeTextJobOptions options) {
    return Await.result(
        LargeTextJob.run(vertx, client, options, new PrintWriter(new StringWriter())));
  }

  @Test
  void aMultiMegabyteInputIsAnsweredChunkByChunkInOrder() {
    Path input = input(dir, 2 << 20, 1);
    // Large chunks keep the request count (and the test's time) down; the bytes are what matter.
    LargeTextJobOptions options = options(input, dir.resolve("out.jsonl")).setChunkChars(20_000);
    List<String> chunks = chunks(input, options.getChunkChars());
    assertTrue(chunks.size() > 100, "chunks: " + chunks.size());

    JobReport report = run(options);
    JsonObject request = sim.lastRequest().bodyJson();

    assertEquals(chunks.size(), report.chunks());
    assertEquals(chunks.size(), report.answered());
    assertEquals(0, report.failed());
    assertEquals(chunks.size(), sim.requestCount("/v1/messages"), "each chunk asked once");
    assertTrue(
        report.maxOutstanding()
            <= options.getConcurrency()
                + options.getReorderWindow()
                + LargeTextJobOptions.READ_OVERSHOOT,
        "chunks held at once: " + report.maxOutstanding());
    assertTrue(report.inputTokens() > 0 && report.outputTokens() > 0);
    assertEquals(true, request.getBoolean("stream"), "chunks are streamed");
    assertEquals(LargeTextJobOptions.DEFAULT_MODEL, request.getString("model"));
    assertAnsweredInOrder(client, options, chunks, options.getOutput());
  }

  @Test
  void aFullOutputQueuePausesTheReader() {
    Path input = input(dir, 100_000, 2);
    LargeTextJobOptions options =
        options(input, dir.resolve("out.jsonl"))
            .setChunkChars(2000)
            .setReorderWindow(2)
            .setWriteQueueMaxBytes(2);
    List<String> chunks = chunks(input, options.getChunkChars());

    JobReport report = run(options);

    assertTrue(report.writerStalls() > 0, "the write queue filled");
    assertTrue(report.readerPauses() > 0, "and reading paused");
    assertTrue(
        report.maxOutstanding()
            <= options.getConcurrency() + 2 + LargeTextJobOptions.READ_OVERSHOOT,
        report.toString());
    assertAnsweredInOrder(client, options, chunks, options.getOutput());
  }

  @Test
  void aFailedChunkIsRecordedWithoutLosingTheOthersAndARerunAsksItAgain() throws IOException {
    Path input = input(dir, 60_000, 3);
    LargeTextJobOptions options = options(input, dir.resolve("out.jsonl")).setChunkChars(2000);
    List<String> chunks = chunks(input, options.getChunkChars());
    sim.enqueue(
        ScriptedResponse.error(400, "invalid_request_error", "chunk refused")
            .onlyFor("/v1/messages"));

    JobReport first = run(options);

    assertEquals(1, first.failed());
    assertFalse(first.succeeded());
    assertEquals(chunks.size() - 1, first.answered());
    List<JsonObject> lines = lines(options.getOutput());
    assertEquals(chunks.size(), lines.size());
    List<JsonObject> errors = lines.stream().filter(l -> l.containsKey("error")).toList();
    assertEquals(1, errors.size(), "one error line");
    JsonObject error = errors.get(0).getJsonObject("error");
    assertEquals("invalid_request_error", error.getString("type"));
    assertEquals(400, error.getInteger("status"));
    assertTrue(error.getString("message").contains("chunk refused"), error.encode());
    assertNotNull(errors.get(0).getString("request_id"));
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(i, lines.get(i).getLong("chunk"));
    }

    sim.resetStats();
    JobReport second = run(options);

    assertEquals(0, second.failed());
    assertEquals(1, second.answered(), "only the failed chunk is asked again");
    assertEquals(chunks.size() - 1, second.copied());
    assertEquals(1, sim.requestCount("/v1/messages"));
    assertAnsweredInOrder(client, options, chunks, options.getOutput());
    assertFalse(Files.exists(dir.resolve("out.jsonl.prev")));
    assertFalse(Files.exists(dir.resolve("out.jsonl.prev.checkpoint")));
  }

  @Test
  void overloadedUntilTheRetriesRunOutFailsOnlyThatChunk() {
    Path input = input(dir, 20_000, 4);
    LargeTextJobOptions options =
        options(input, dir.resolve("out.jsonl")).setChunkChars(2000).setConcurrency(1);
    List<String> chunks = chunks(input, options.getChunkChars());
    for (int i = 0; i < 3; i++) {
      sim.enqueue(ScriptedResponse.status(529).onlyFor("/v1/messages"));
    }

    JobReport report = run(options);

    assertEquals(1, report.failed());
    List<JsonObject> lines = lines(options.getOutput());
    assertEquals(chunks.size(), lines.size());
    assertEquals("overloaded_error", lines.get(0).getJsonObject("error").getString("type"));
    assertEquals(chunks.size() + 2, sim.requestCount("/v1/messages"), "3 attempts for chunk 0");
    assertTrue(lines.subList(1, lines.size()).stream().allMatch(l -> l.containsKey("text")));
  }

  /**
   * The states a kill leaves, made by hand: lines written whose records never made it, a torn last
   * record, half a line. The re-run cuts them off and asks those chunks again: no chunk twice, none
   * missing.
   */
  @Test
  void linesWithoutTheirRecordAndTornTailsAreCutAndAskedAgain() throws IOException {
    Path input = input(dir, 40_000, 5);
    LargeTextJobOptions options = options(input, dir.resolve("out.jsonl")).setChunkChars(2000);
    List<String> chunks = chunks(input, options.getChunkChars());
    run(options);
    Path checkpoint = dir.resolve("out.jsonl.checkpoint");
    List<String> records = Files.readAllLines(checkpoint, StandardCharsets.UTF_8);
    // Drop the end mark and the last five records, then tear the next one.
    List<String> kept = records.subList(0, records.size() - 6);
    Files.writeString(checkpoint, String.join("\n", kept) + "\n{\"chunk\":" + kept.size());
    Files.writeString(
        options.getOutput(), "{\"chunk\":" + chunks.size() + ",\"te", StandardOpenOption.APPEND);

    sim.resetStats();
    JobReport rerun = run(options);

    assertEquals(5, rerun.answered());
    assertEquals(chunks.size() - 5, rerun.alreadyDone());
    assertEquals(5, sim.requestCount("/v1/messages"));
    assertAnsweredInOrder(client, options, chunks, options.getOutput());
  }

  @Test
  void aFinishedJobRunAgainAsksNothing() {
    Path input = input(dir, 20_000, 6);
    LargeTextJobOptions options = options(input, dir.resolve("out.jsonl")).setChunkChars(2000);
    run(options);
    sim.resetStats();

    JobReport again = run(options);

    assertEquals(0, again.answered());
    assertEquals(again.chunks(), again.alreadyDone());
    assertEquals(0, sim.requestCount("/v1/messages"));
  }

  @Test
  void anOutputOfOtherSettingsOrWithoutCheckpointIsNotResumed() throws IOException {
    Path input = input(dir, 10_000, 7);
    LargeTextJobOptions options = options(input, dir.resolve("out.jsonl")).setChunkChars(2000);
    run(options);

    Throwable other =
        Await.failure(
            LargeTextJob.run(
                vertx,
                client,
                options(input, dir.resolve("out.jsonl")).setChunkChars(3000),
                new PrintWriter(new StringWriter())));
    assertInstanceOf(JobSetupException.class, other);
    assertTrue(other.getMessage().contains("chunkChars (was 2000, now 3000)"), other.getMessage());

    Files.delete(dir.resolve("out.jsonl.checkpoint"));
    Throwable orphan =
        Await.failure(
            LargeTextJob.run(vertx, client, options, new PrintWriter(new StringWriter())));
    assertInstanceOf(JobSetupException.class, orphan);
    assertTrue(orphan.getMessage().contains("has no checkpoint"), orphan.getMessage());
  }
}
