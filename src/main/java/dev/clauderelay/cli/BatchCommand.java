package dev.clauderelay.cli;

import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.config.ConfigException;
import dev.clauderelay.config.ConfigLoader;
import dev.clauderelay.config.RelayConfig;
import dev.clauderelay.stream.JobReport;
import dev.clauderelay.stream.JobSetupException;
import dev.clauderelay.stream.LargeTextJob;
import dev.clauderelay.stream.LargeTextJobOptions;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code claude-relay batch}: a large text through the model in chunks, answers in order as JSON
 * Lines, resumable. Exit 0 when every chunk was answered, 1 when some failed (their lines say why;
 * running again asks them again), 2 on bad arguments, configuration or an output that belongs to
 * another job. docs/batch.md describes the output and the resume rules.
 */
@Command(
    name = "batch",
    mixinStandardHelpOptions = true,
    description = {
      "Process a large text file in chunks (split at blank lines), each a streamed request,",
      "writing the answers in input order as JSON Lines. Running it again with the same --out",
      "resumes: chunks already written are skipped, failed ones are asked again."
    })
public final class BatchCommand implements Callable<Integer> {
  private static final long STOP_TIMEOUT_SECONDS = 10;

  /** How progress is shown. */
  enum ProgressMode {
    auto,
    bar,
    lines,
    none
  }

  @Spec CommandSpec spec;

  @Option(names = "--input", required = true, description = "Text file to process (UTF-8).")
  Path input;

  @Option(
      names = "--prompt",
      required = true,
      description = "Instruction sent before every chunk (the chunk follows after a blank line).")
  String prompt;

  @Option(
      names = "--out",
      required = true,
      description = "JSON Lines output; its checkpoint is <out>.checkpoint.")
  Path out;

  @Option(
      names = "--concurrency",
      defaultValue = "" + LargeTextJobOptions.DEFAULT_CONCURRENCY,
      description = "Chunks streamed at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--chunk-chars",
      defaultValue = "" + LargeTextJobOptions.DEFAULT_CHUNK_CHARS,
      description = "Largest chunk in characters (default: ${DEFAULT-VALUE}).")
  int chunkChars;

  @Option(
      names = "--model",
      defaultValue = LargeTextJobOptions.DEFAULT_MODEL,
      description = "Model (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--max-tokens",
      defaultValue = "" + LargeTextJobOptions.DEFAULT_MAX_TOKENS,
      description = "max_tokens of each chunk's answer (default: ${DEFAULT-VALUE}).")
  int maxTokens;

  @Option(
      names = "--config",
      description = "Configuration file (default: conf/config.yaml if present).")
  Path config;

  @Option(
      names = "--progress",
      defaultValue = "auto",
      description =
          "Progress on stderr: auto (a bar on a terminal, else lines), bar, lines, none"
              + " (default: ${DEFAULT-VALUE}).")
  ProgressMode progress;

  @Option(
      names = "--progress-interval-ms",
      defaultValue = "" + LargeTextJobOptions.DEFAULT_PROGRESS_INTERVAL_MS,
      description = "Between two progress lines, ms (default: ${DEFAULT-VALUE}).")
  long progressIntervalMs;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    LargeTextJobOptions options = options();
    if (!Files.isRegularFile(input) || !Files.isReadable(input)) {
      throw new ParameterException(
          spec.commandLine(), "--input " + input + " is not a readable file");
    }
    RelayConfig relayConfig;
    try {
      relayConfig = ConfigLoader.load(config, System.getenv());
    } catch (ConfigException e) {
      err.println(e.getMessage());
      err.flush();
      return 2;
    }
    quietRequestLog();
    Vertx vertx = Vertx.vertx();
    ClaudeClient client = Clients.create(vertx, relayConfig);
    try {
      JobReport report =
          LargeTextJob.run(vertx, client, options, err)
              .toCompletionStage()
              .toCompletableFuture()
              .get();
      return report.succeeded() ? 0 : 1;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      err.println("claude-relay batch: " + cause.getMessage());
      err.flush();
      return cause instanceof JobSetupException ? 2 : 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      close(client, vertx);
    }
  }

  private LargeTextJobOptions options() {
    LargeTextJobOptions options = new LargeTextJobOptions().setInput(input).setOutput(out);
    set("--prompt", () -> options.setPrompt(prompt));
    set("--model", () -> options.setModel(model));
    set("--concurrency", () -> options.setConcurrency(concurrency));
    set("--chunk-chars", () -> options.setChunkChars(chunkChars));
    set("--max-tokens", () -> options.setMaxTokens(maxTokens));
    set("--progress-interval-ms", () -> options.setProgressIntervalMs(progressIntervalMs));
    options.setProgress(
        switch (progress) {
          case auto ->
              System.console() != null
                  ? LargeTextJobOptions.Progress.BAR
                  : LargeTextJobOptions.Progress.LINES;
          case bar -> LargeTextJobOptions.Progress.BAR;
          case lines -> LargeTextJobOptions.Progress.LINES;
          case none -> LargeTextJobOptions.Progress.NONE;
        });
    return options;
  }

  /** Applies a setting; its range error becomes a usage error naming the flag. */
  private void set(String flag, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), flag + ": " + e.getMessage());
    }
  }

  /**
   * Each chunk's outcome is a line of the output, so the per-request log lines would only drown the
   * progress bar; CLAUDE_RELAY_LOG_LEVEL still decides when set.
   */
  private static void quietRequestLog() {
    if (System.getenv("CLAUDE_RELAY_LOG_LEVEL") == null
        && LoggerFactory.getLogger("dev.clauderelay")
            instanceof ch.qos.logback.classic.Logger logger) {
      logger.setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }

  private static void close(ClaudeClient client, Vertx vertx) {
    try {
      client
          .close()
          .eventually(vertx::close)
          .toCompletionStage()
          .toCompletableFuture()
          .get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Exiting anyway; the output and checkpoint are already closed.
    }
  }
}
