package dev.clauderelay.stream;

import static dev.clauderelay.stream.BatchSupport.assertAnsweredInOrder;
import static dev.clauderelay.stream.BatchSupport.checkpointRecords;
import static dev.clauderelay.stream.BatchSupport.chunks;
import static dev.clauderelay.stream.BatchSupport.config;
import static dev.clauderelay.stream.BatchSupport.input;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.cli.Main;
import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code batch} in its own JVM, killed with SIGKILL halfway (no shutdown hook, no flush), then run
 * again: every chunk is in the output exactly once, in order, and the chunks done before the kill
 * are not asked again.
 */
class BatchResumeTest {
  private static final long KILL_DEADLINE_MS = 60_000;

  @TempDir Path dir;

  private Vertx vertx;
  private SimulatedAnthropic sim;
  private ClaudeClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    // Slow deltas so the job is still running when the test gets to kill it.
    sim =
        Await.result(
            SimulatedAnthropic.start(
                vertx, new SimOptions().setPort(0).setMaxTextTokens(20).setStreamDeltaDelayMs(5)));
    client =
        ClaudeClient.create(
            vertx, new ClaudeClientOptions().setBaseUrl(sim.baseUrl()).setApiKey("k"));
  }

  @AfterEach
  void stop() {
    Await.result(client.close());
    Await.result(sim.close());
    Await.result(vertx.close());
  }

  @Test
  void killedHalfwayThenRunAgainWritesEveryChunkOnceInOrder() throws Exception {
    Path input = input(dir, 1 << 20, 21);
    Path out = dir.resolve("out.jsonl");
    Path checkpoint = dir.resolve("out.jsonl.checkpoint");
    String[] args = {
      "batch",
      "--input",
      input.toString(),
      "--prompt",
      BatchSupport.PROMPT,
      "--out",
      out.toString(),
      "--chunk-chars",
      "10000",
      "--config",
      config(dir, sim.baseUrl()).toString(),
      "--progress",
      "none"
    };
    List<String> chunks = chunks(input, 10_000);
    LargeTextJobOptions options = BatchSupport.options(input, out).setChunkChars(10_000);

    Process job = spawn(args);
    long recordedBeforeKill = waitForProgress(job, checkpoint, chunks.size() / 4);
    job.destroyForcibly();
    assertTrue(job.waitFor(10, TimeUnit.SECONDS));
    long recorded = checkpointRecords(checkpoint);
    assertTrue(recorded < chunks.size(), "killed before the end: " + recorded);

    sim.resetStats();
    StringWriter err = new StringWriter();
    CommandLine again = Main.commandLine();
    again.setErr(new PrintWriter(err, true));
    assertEquals(0, again.execute(args), err.toString());
    long asked = sim.requestCount("/v1/messages");

    assertTrue(
        asked <= chunks.size() - recordedBeforeKill,
        "asked " + asked + " again, " + recordedBeforeKill + " were done before the kill");
    assertAnsweredInOrder(client, options, chunks, out);
    assertFalse(Files.exists(dir.resolve("out.jsonl.prev")));
  }

  private Process spawn(String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.clauderelay.cli.Main"));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("job.log").toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("CLAUDE_RELAY_"));
    builder.environment().keySet().removeIf(k -> k.startsWith("ANTHROPIC_"));
    return builder.start();
  }

  /** Bounded polling on the test thread until the checkpoint records {@code atLeast} chunks. */
  private long waitForProgress(Process job, Path checkpoint, long atLeast)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KILL_DEADLINE_MS);
    while (System.nanoTime() < deadline) {
      long records = checkpointRecords(checkpoint);
      if (records >= atLeast) {
        return records;
      }
      if (!job.isAlive()) {
        throw new AssertionError(
            "the job ended (exit "
                + job.exitValue()
                + ") before the kill: "
                + Files.readString(dir.resolve("job.log")));
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    job.destroyForcibly();
    throw new AssertionError("no progress within " + KILL_DEADLINE_MS + " ms");
  }
}
