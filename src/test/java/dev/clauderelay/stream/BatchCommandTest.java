package dev.clauderelay.stream;

import static dev.clauderelay.stream.BatchSupport.config;
import static dev.clauderelay.stream.BatchSupport.input;
import static dev.clauderelay.stream.BatchSupport.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.cli.Main;
import dev.clauderelay.sim.ScriptedResponse;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code claude-relay batch}: exit codes, arguments, progress lines (the job runs in this JVM). */
class BatchCommandTest {
  @TempDir Path dir;

  private Vertx vertx;
  private SimulatedAnthropic sim;
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    sim =
        Await.result(
            SimulatedAnthropic.start(vertx, new SimOptions().setPort(0).setMaxTextTokens(8)));
  }

  @AfterEach
  void stop() {
    Await.result(sim.close());
    Await.result(vertx.close());
  }

  private int batch(String... args) {
    CommandLine commandLine = Main.commandLine();
    commandLine.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "batch";
    System.arraycopy(args, 0, all, 1, args.length);
    return commandLine.execute(all);
  }

  @Test
  void allAnsweredExitsZeroAndAFailedChunkExitsOne() {
    Path input = input(dir, 20_000, 11);
    Path out = dir.resolve("out.jsonl");
    Path config = config(dir, sim.baseUrl());
    String[] args = {
      "--input", input.toString(),
      "--prompt", "Translate to French.",
      "--out", out.toString(),
      "--chunk-chars", "2000",
      "--concurrency", "2",
      "--model", "claude-haiku-4-5",
      "--max-tokens", "64",
      "--config", config.toString(),
      "--progress", "lines",
      "--progress-interval-ms", "20"
    };
    sim.enqueue(ScriptedResponse.error(400, "invalid_request_error", "no").onlyFor("/v1/messages"));

    assertEquals(1, batch(args), err.toString());
    assertEquals(1, lines(out).stream().filter(l -> l.containsKey("error")).count());
    assertTrue(err.toString().contains("1 failed"), err.toString());
    JsonObject request = sim.lastRequest().bodyJson();
    assertEquals("claude-haiku-4-5", request.getString("model"));
    assertEquals(64, request.getInteger("max_tokens"));
    assertTrue(
        request
            .getJsonArray("messages")
            .getJsonObject(0)
            .getString("content")
            .startsWith("Translate to French.\n\n"));

    assertEquals(0, batch(args), err.toString());
    List<JsonObject> lines = lines(out);
    assertTrue(lines.stream().noneMatch(l -> l.containsKey("error")));
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(i, lines.get(i).getLong("chunk"));
    }
    assertTrue(err.toString().contains("batch: done:"), err.toString());
  }

  @Test
  void badArgumentsConfigOrOutputExitTwo() throws IOException {
    Path input = input(dir, 5_000, 12);
    Path out = dir.resolve("out.jsonl");
    Path config = config(dir, sim.baseUrl());
    String in = input.toString();
    String o = out.toString();
    String c = config.toString();

    assertEquals(2, batch("--input", in, "--out", o, "--config", c));
    assertTrue(err.toString().contains("--prompt"), err.toString());
    assertEquals(2, batch("--input", in, "--prompt", "p", "--out", o, "--concurrency", "0"));
    assertTrue(err.toString().contains("--concurrency"), err.toString());
    assertEquals(2, batch("--input", in, "--prompt", "p", "--out", o, "--chunk-chars", "10"));
    assertEquals(
        2, batch("--input", dir.resolve("missing.txt").toString(), "--prompt", "p", "--out", o));
    assertTrue(err.toString().contains("missing.txt"), err.toString());

    Path badConfig = dir.resolve("bad.yaml");
    Files.writeString(badConfig, "retry: { maxRetrys: 3 }\n");
    assertEquals(
        2, batch("--input", in, "--prompt", "p", "--out", o, "--config", badConfig.toString()));
    assertTrue(err.toString().contains("maxRetrys"), err.toString());

    Files.writeString(out, "{\"something\":\"else\"}\n");
    assertEquals(2, batch("--input", in, "--prompt", "p", "--out", o, "--config", c));
    assertTrue(err.toString().contains("has no checkpoint"), err.toString());
    assertEquals("{\"something\":\"else\"}\n", Files.readString(out), "left untouched");
    assertEquals(0, sim.requestCount("/v1/messages"));
  }
}
